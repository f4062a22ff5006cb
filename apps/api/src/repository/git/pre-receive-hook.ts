import { createHash, randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { access, chmod, mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';

/**
 * The pre-receive hook every push runs, as GitLab's gitlab-shell hook calling `/internal/allowed`: git has unpacked
 * the pushed objects into its quarantine and waits; the hook hands the ref updates, the push options and the
 * quarantine's object directories to the service over the push's own Unix socket and relays its verdict. Git moves
 * no ref unless the hook exits 0; but git runs no hook at all when the file is missing or not executable, so the file is
 * checked before every push, and the receiver rolls back what a push moved without a verdict.
 */
const HOOK = `
const net = require('node:net');
const chunks = [];
process.stdin.on('data', (chunk) => chunks.push(chunk));
process.stdin.on('end', () => {
  const count = Number(process.env.GIT_PUSH_OPTION_COUNT || 0);
  const pushOptions = [];
  for (let i = 0; i < count; i += 1) pushOptions.push(process.env['GIT_PUSH_OPTION_' + i] || '');
  const request = {
    changes: Buffer.concat(chunks).toString('utf8'),
    pushOptions,
    objectDirectory: process.env.GIT_OBJECT_DIRECTORY || null,
    alternateObjectDirectories: process.env.GIT_ALTERNATE_OBJECT_DIRECTORIES || null,
  };
  const answer = [];
  const socket = net.connect(process.env.LANYARD_HOOK_SOCKET);
  socket.on('data', (chunk) => answer.push(chunk));
  socket.on('error', () => {
    process.stderr.write('The push could not be checked; try again.\\n');
    process.exit(1);
  });
  socket.on('end', () => {
    let verdict = { ok: false, message: 'The push could not be checked; try again.' };
    try { verdict = JSON.parse(Buffer.concat(answer).toString('utf8')); } catch {}
    if (verdict.message) process.stderr.write(verdict.message + '\\n');
    process.exit(verdict.ok ? 0 : 1);
  });
  socket.end(JSON.stringify(request));
});
`;

export interface HookRequest {
  readonly changes: string;
  readonly pushOptions: string[];
  readonly objectDirectory: string | null;
  readonly alternateObjectDirectories: string | null;
}

const SCRIPT = `#!${process.execPath}\n${HOOK}`;
const DIGEST = createHash('sha256').update(SCRIPT).digest('hex').slice(0, 16);

/**
 * The `core.hooksPath` directory, `<repositories>/.hooks/<digest of the script>/`, its `pre-receive` checked (content
 * and that git may execute it) and re-written if it is not exactly the script, before every push. It lives beside the
 * repositories rather than in the OS temporary directory: tmp cleaners (systemd-tmpfiles, an operator clearing /tmp)
 * delete old files there from under a long-running service, and then git would accept pushes unchecked. The digest
 * names the directory because replicas sharing the repositories may run Node from different paths: each keeps its own
 * script and none rewrites another's. Directories are 0700: nobody else on the host may swap the hook.
 */
export async function preReceiveHooksPath(repositoriesDir: string): Promise<string> {
  const directory = join(resolve(repositoriesDir), '.hooks', DIGEST);
  const path = join(directory, 'pre-receive');
  if (await isInstalled(path)) return directory;
  await mkdir(directory, { recursive: true, mode: 0o700 });
  // Written aside and renamed into place: a concurrent push never runs a half-written hook.
  const temporary = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await writeFile(temporary, SCRIPT, { mode: 0o700 });
    await chmod(temporary, 0o700);
    await rename(temporary, path);
  } finally {
    await rm(temporary, { force: true });
  }
  // Git skips a hook it may not execute (a noexec mount): then the push is refused here, with the reason in the log.
  if (!(await isInstalled(path))) throw new Error(`the pre-receive hook ${path} cannot be executed (a noexec mount?)`);
  return directory;
}

async function isInstalled(path: string): Promise<boolean> {
  try {
    // access(X_OK) as git's own check: it also fails on a noexec mount, where the mode bits alone would pass.
    await access(path, constants.X_OK);
    const [content, info] = await Promise.all([readFile(path, 'utf8'), stat(path)]);
    return content === SCRIPT && info.isFile();
  } catch {
    return false;
  }
}

import { chmod, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The pre-receive hook every push runs, as GitLab's gitlab-shell hook calling `/internal/allowed`: git has unpacked
 * the pushed objects into its quarantine and waits; the hook hands the ref updates, the push options and the
 * quarantine's object directories to the service over the push's own Unix socket and relays its verdict. Git moves
 * no ref unless the hook exits 0. Written once per process with the running Node as its interpreter.
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

let hooksDirectory: Promise<string> | null = null;

/** The `core.hooksPath` directory holding the hook. */
export function preReceiveHooksPath(): Promise<string> {
  hooksDirectory ??= (async () => {
    const directory = await mkdtemp(join(tmpdir(), 'lanyard-hooks-'));
    const path = join(directory, 'pre-receive');
    await writeFile(path, `#!${process.execPath}\n${HOOK}`);
    await chmod(path, 0o755);
    return directory;
  })();
  return hooksDirectory;
}

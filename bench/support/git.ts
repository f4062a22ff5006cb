import { spawn } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** A git client isolated from the host: no user or system configuration, no credential prompt, a fixed identity. */
export function gitClientEnv(home: string): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: home,
    LANG: 'C',
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_TERMINAL_PROMPT: '0',
    GIT_AUTHOR_NAME: 'Bench',
    GIT_AUTHOR_EMAIL: 'bench@bench.example.com',
    GIT_COMMITTER_NAME: 'Bench',
    GIT_COMMITTER_EMAIL: 'bench@bench.example.com',
  };
}

/** Runs git to the end; a non-zero exit stops the bench with git's message. Resolves with stdout. */
export function git(args: readonly string[], env: NodeJS.ProcessEnv, options: { cwd?: string; input?: Buffer } = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', args, { env, cwd: options.cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve(Buffer.concat(out).toString('utf8').trim());
      else
        reject(
          new Error(
            `git ${args.filter((arg) => !arg.includes('@')).join(' ')} exited with ${code}: ${Buffer.concat(err).toString('utf8').trim().slice(0, 500)}`,
          ),
        );
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end(options.input ?? '');
  });
}

/** Bytes of the packs a clone received (index-pack keeps each pack as it came over the wire). */
export function packBytes(gitDir: string): number {
  const dir = join(gitDir, 'objects', 'pack');
  return readdirSync(dir)
    .filter((name) => name.endsWith('.pack'))
    .reduce((sum, name) => sum + statSync(join(dir, name)).size, 0);
}

/**
 * A `git fast-import` stream of `commits` commits on `refs/heads/main` reaching `commits × filesPerCommit` files:
 * each commit adds `filesPerCommit` new files and edits as many older ones, as a growing code base does. Contents
 * are source-like text from a seeded generator and dates are fixed, so every run builds the same object ids.
 */
export function fastImportStream(commits: number, filesPerCommit: number): Buffer {
  const random = mulberry32(17);
  const words = ['const', 'value', 'return', 'export', 'function', 'await', 'project', 'runner', 'token', 'if', 'else', 'job'];
  const line = () => Array.from({ length: 4 + Math.floor(random() * 8) }, () => words[Math.floor(random() * words.length)]).join(' ');
  const content = (path: string, revision: number) =>
    `// ${path} revision ${revision}\n` + Array.from({ length: 20 + Math.floor(random() * 40) }, line).join(';\n') + ';\n';
  const pathOf = (file: number) => `src/module-${String(file % 50).padStart(2, '0')}/file-${String(file).padStart(5, '0')}.ts`;
  const revisions: number[] = [];
  const chunks: Buffer[] = [];
  const text = (value: string) => chunks.push(Buffer.from(value, 'utf8'));
  const data = (value: string) => text(`data ${Buffer.byteLength(value)}\n${value}\n`);
  for (let commit = 0; commit < commits; commit++) {
    const at = 1_700_000_000 + commit * 600;
    text(`commit refs/heads/main\nmark :${commit + 1}\n`);
    text(`author Bench <bench@bench.example.com> ${at} +0000\ncommitter Bench <bench@bench.example.com> ${at} +0000\n`);
    data(`Change ${commit + 1}\n`);
    if (commit > 0) text(`from :${commit}\n`);
    const edited = new Set<number>();
    while (commit > 0 && edited.size < Math.min(filesPerCommit, revisions.length)) edited.add(Math.floor(random() * revisions.length));
    for (let index = 0; index < filesPerCommit; index++) edited.add(revisions.push(0) - 1);
    for (const file of edited) {
      revisions[file] += 1;
      text(`M 100644 inline ${pathOf(file)}\n`);
      data(content(pathOf(file), revisions[file]));
    }
  }
  return Buffer.concat(chunks);
}

function mulberry32(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

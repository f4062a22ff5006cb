import { ChildProcess, spawn } from 'node:child_process';
import { AddressInfo, createServer } from 'node:net';
import { resolve } from 'node:path';

const ROOT = resolve(__dirname, '../../../..');

export interface ServiceProcess {
  readonly child: ChildProcess;
  readonly baseUrl: string;
  /** Every line written so far, stdout and stderr. */
  readonly lines: string[];
  /** JSON log lines so far (the token banner and other plain text left out). */
  logged(): Record<string, unknown>[];
  /** Resolves with the exit code and signal. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * `npm start` (or another entry point under apps/api/src, e.g. `reset-root-token.ts`) as an operator runs it: the service in its own process, with exactly `env` (and PATH, HOME) in `cwd`.
 * Nothing from the test runner's environment leaks in: no DATABASE_URL, so the embedded database is used.
 */
export function spawnService(env: NodeJS.ProcessEnv, cwd: string, port: number, entry = 'main.ts'): ServiceProcess {
  const child = spawn(process.execPath, ['-r', resolve(ROOT, 'tools/register.js'), resolve(ROOT, 'apps/api/src', entry)], {
    cwd,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  for (const stream of [child.stdout!, child.stderr!]) {
    let partial = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      const parts = (partial + chunk).split('\n');
      partial = parts.pop()!;
      lines.push(...parts);
    });
  }
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolveExit) =>
    child.once('exit', (code, signal) => resolveExit({ code, signal })),
  );
  return {
    child,
    baseUrl: `http://127.0.0.1:${port}`,
    lines,
    logged: () => lines.filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as Record<string, unknown>),
    exited,
  };
}

/** Waits until /-/readiness answers 200; fails with the process's output if it exits first or takes too long. */
export async function waitUntilReady(service: ServiceProcess, timeoutMs = 90_000): Promise<void> {
  let exited = false;
  void service.exited.then(() => (exited = true));
  const until = Date.now() + timeoutMs;
  while (Date.now() < until && !exited) {
    try {
      if ((await fetch(`${service.baseUrl}/-/readiness`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((done) => setTimeout(done, 250));
  }
  throw new Error(`the service did not become ready:\n${service.lines.join('\n')}`);
}

export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolvePort(port));
    });
  });
}

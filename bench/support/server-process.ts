import { ChildProcess, fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { createBenchDatabase } from './database';
import { freePort } from './run-support';
import type { QueryMeterReading } from './query-meter';
import type { ServerMessage, ServerRequest } from '../server';

type Request = ServerRequest extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;

/** The application process as the bench drives it: start, SQL, query meter, RSS, stop. */
export class ServerProcess {
  private sequence = 0;
  private readonly pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();

  private constructor(
    private readonly child: ChildProcess,
    readonly version: string,
    readonly poolSize: number,
  ) {
    child.on('message', (message: ServerMessage) => {
      if (message.kind !== 'reply') return;
      const waiter = this.pending.get(message.id);
      this.pending.delete(message.id);
      if (message.error !== undefined) waiter?.reject(new Error(`server: ${message.error}`));
      else waiter?.resolve(message.result);
    });
    child.on('exit', (code) => {
      for (const waiter of this.pending.values()) waiter.reject(new Error(`the server process exited (${code})`));
      this.pending.clear();
    });
  }

  /** Forks `bench/server.ts` with the same TypeScript preload as `npm start`, and `--expose-gc` for RSS readings. */
  static start(env: NodeJS.ProcessEnv): Promise<ServerProcess> {
    const child = fork(join(__dirname, '..', 'server.ts'), [], {
      env,
      // `BENCH_SERVER_NODE_ARGS='--cpu-prof --cpu-prof-dir=/tmp/prof'` profiles the server alone.
      execArgv: [
        '-r',
        join(__dirname, '..', '..', 'tools', 'register.js'),
        '--expose-gc',
        ...(process.env.BENCH_SERVER_NODE_ARGS?.split(' ').filter(Boolean) ?? []),
      ],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    return new Promise((resolve, reject) => {
      child.once('exit', (code) => reject(new Error(`the server process exited during start (${code})`)));
      child.once('message', (message: ServerMessage) => {
        if (message.kind === 'ready') resolve(new ServerProcess(child, message.version, message.poolSize));
      });
    });
  }

  get pid(): number {
    return this.child.pid!;
  }

  sql<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]> {
    return this.call({ kind: 'sql', text, params }) as Promise<T[]>;
  }

  meterStart(): Promise<void> {
    return this.call({ kind: 'meter-start' }) as Promise<void>;
  }

  meterStop(operations: number): Promise<QueryMeterReading> {
    return this.call({ kind: 'meter-stop', operations }) as Promise<QueryMeterReading>;
  }

  /** Resident set size in bytes, after a full garbage collection. */
  rss(): Promise<number> {
    return this.call({ kind: 'rss' }) as Promise<number>;
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise((done) => this.child.once('exit', done));
    await this.call({ kind: 'stop' }).catch(() => this.child.kill());
    await exited;
  }

  private call(request: Request): Promise<unknown> {
    const id = ++this.sequence;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.child.send({ ...request, id } as ServerRequest);
    });
  }
}

/** The application as `npm start` runs it, on a database of its own (or embedded), with a root token. */
export async function startBenchServer(
  workDir: string,
  embedded: boolean,
  onCleanup: (step: { name: string; run: () => Promise<unknown> }) => void,
  progress: (message: string) => void,
) {
  const serverUrl = process.env.DATABASE_URL?.trim() || undefined;
  let databaseUrl = '';
  if (serverUrl) {
    const benchDatabase = await createBenchDatabase(serverUrl);
    onCleanup({ name: `drop database ${benchDatabase.name}`, run: () => benchDatabase.drop() });
    databaseUrl = benchDatabase.url;
    progress(`created database ${benchDatabase.name}`);
  }
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const rootToken = `glpat-bench-${randomBytes(16).toString('hex')}`;
  // Only the bench's own settings: nothing from the caller's environment but the server to use and the thread pool.
  const server = await ServerProcess.start({
    PATH: process.env.PATH,
    UV_THREADPOOL_SIZE: process.env.UV_THREADPOOL_SIZE,
    NODE_ENV: 'development',
    DATABASE_URL: databaseUrl,
    PORT: String(port),
    LANYARD_EXTERNAL_URL: baseUrl,
    LANYARD_ROOT_TOKEN: rootToken,
    LANYARD_KEY_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
    LANYARD_DATA_DIR: join(workDir, 'data'),
    BENCH_SERVER_LOG: join(workDir, 'server.log'),
  });
  onCleanup({ name: 'stop the server', run: () => server.stop() });
  progress(`${embedded ? 'embedded' : 'postgres'}: server pid ${server.pid} on ${baseUrl}, ${server.version}, pool ${server.poolSize}`);
  return { server, databaseUrl, baseUrl, rootToken };
}

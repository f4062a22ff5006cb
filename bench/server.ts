import 'reflect-metadata';
import { createWriteStream } from 'node:fs';
import { DataSource } from 'typeorm';
import { loadConfig } from '../apps/api/src/config/app-config';
import { createApp } from '../apps/api/src/create-app';
import { openDatabase } from '../apps/api/src/database/database-connection';
import { JsonLogger } from '../apps/api/src/logging/json-logger';
import { QueryMeter } from './support/query-meter';

/**
 * The application in its own process, started by `run.ts` with `fork` (IPC channel), configured only from the
 * environment it is given, exactly as `main.ts` starts it (loadConfig → openDatabase → createApp) but listening on
 * 127.0.0.1. Over IPC the bench may: run SQL on the application's own connection (seeding, checks; the embedded
 * database has no other door), count the application's SQL round trips, and read RSS after a full GC.
 */
export type ServerRequest =
  | { readonly id: number; readonly kind: 'sql'; readonly text: string; readonly params?: unknown[] }
  | { readonly id: number; readonly kind: 'meter-start' }
  | { readonly id: number; readonly kind: 'meter-stop'; readonly operations: number }
  | { readonly id: number; readonly kind: 'rss' }
  | { readonly id: number; readonly kind: 'stop' };

export type ServerMessage =
  | { readonly kind: 'ready'; readonly version: string; readonly poolSize: number }
  | { readonly kind: 'reply'; readonly id: number; readonly result?: unknown; readonly error?: string };

const send = (message: ServerMessage) => process.send!(message);

async function main(): Promise<void> {
  const meter = new QueryMeter();
  meter.install();
  const config = loadConfig(process.env);
  const database = await openDatabase(config);
  const log = createWriteStream(process.env.BENCH_SERVER_LOG!);
  const { app } = await createApp(config, database, new JsonLogger((line) => log.write(line + '\n')));
  await app.listen(config.port, '127.0.0.1');
  const dataSource = app.get(DataSource);
  const [{ version }] = await dataSource.query('SELECT version() AS version');

  const handle = async (request: ServerRequest): Promise<unknown> => {
    switch (request.kind) {
      case 'sql':
        return dataSource.query(request.text, request.params);
      case 'meter-start':
        return meter.start();
      case 'meter-stop':
        return meter.stop(request.operations);
      case 'rss':
        (globalThis as { gc?: () => void }).gc?.();
        return process.memoryUsage().rss;
      case 'stop':
        await app.close();
        await database.close();
        await new Promise((done) => log.end(done));
        setImmediate(() => process.exit(0));
        return null;
    }
  };
  process.on('message', (request: ServerRequest) => {
    handle(request).then(
      (result) => send({ kind: 'reply', id: request.id, result }),
      (error: unknown) => send({ kind: 'reply', id: request.id, error: error instanceof Error ? error.message : String(error) }),
    );
  });
  // The bench may die without stopping us: never outlive it.
  process.on('disconnect', () => process.exit(1));
  send({ kind: 'ready', version: String(version).split(' on ')[0], poolSize: database.poolSize });
}

main().catch((error: unknown) => {
  process.stderr.write(`[bench server] ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});

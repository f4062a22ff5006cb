import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type DataDirLock, lockDataDir } from './data-dir-lock';

export interface EmbeddedPostgres {
  readonly url: string;
  stop(): Promise<void>;
}

/**
 * Real Postgres compiled to WASM (PGlite), served over the wire protocol so the `pg` driver and TypeORM
 * use it exactly as they use a server. PGlite has one session, so clients must use a pool of size 1.
 */
export async function startEmbeddedPostgres(
  dataDir: string | undefined,
  { maxConnections = 1 }: { maxConnections?: number } = {},
): Promise<EmbeddedPostgres> {
  // Dynamic imports: PGlite loads its WASM through import(), which needs plain Node, not a test sandbox.
  const { PGlite } = await import('@electric-sql/pglite');
  const { PGLiteSocketServer } = await import('@electric-sql/pglite-socket');
  let db;
  let lock: DataDirLock | undefined;
  if (dataDir === undefined) {
    db = await PGlite.create();
  } else {
    lock = lockDataDir(dataDir);
    try {
      const dir = resolve(dataDir, 'pglite');
      mkdirSync(dir, { recursive: true });
      db = await PGlite.create(join(dir));
    } catch (error) {
      lock.release();
      throw error;
    }
  }
  const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections });
  await server.start();
  const address = server.getServerConn();
  return {
    url: `postgres://postgres@${address}/postgres`,
    // A clean shutdown checkpoints: the next start runs no crash recovery and sequences do not jump.
    async stop() {
      try {
        await server.stop();
        await db.close();
      } finally {
        lock?.release();
      }
    },
  };
}

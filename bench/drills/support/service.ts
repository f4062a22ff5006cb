import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { ServerProcess } from '../../support/server-process';
import { freePort } from '../../support/run-support';

/** What one service process is started with: only these variables, nothing from the caller's environment. */
export interface ServiceSettings {
  readonly databaseUrl: string;
  readonly port: number;
  /** Where clients reach the service and the tokens' `iss`; replicas behind one address share it. */
  readonly externalUrl: string;
  readonly rootToken: string;
  readonly keyEncryptionKey: string;
  readonly workDir: string;
  readonly publishLead?: string;
  readonly metricsToken?: string;
}

let starts = 0;

export async function serviceSettings(
  workDir: string,
  databaseUrl: string,
  extra: Partial<ServiceSettings> = {},
): Promise<ServiceSettings> {
  const port = extra.port ?? (await freePort());
  return {
    databaseUrl,
    port,
    externalUrl: `http://127.0.0.1:${port}`,
    rootToken: `glpat-drill-${randomBytes(16).toString('hex')}`,
    keyEncryptionKey: randomBytes(32).toString('hex'),
    workDir,
    ...extra,
  };
}

/** A service process (bench/server.ts: the production start-up, listening on 127.0.0.1), each start with its own log. */
export function startService(settings: ServiceSettings): Promise<ServerProcess> {
  starts += 1;
  return ServerProcess.start({
    PATH: process.env.PATH,
    NODE_ENV: 'development',
    LOG_LEVEL: 'warn',
    DATABASE_URL: settings.databaseUrl,
    PORT: String(settings.port),
    LANYARD_EXTERNAL_URL: settings.externalUrl,
    LANYARD_ROOT_TOKEN: settings.rootToken,
    LANYARD_KEY_ENCRYPTION_KEY: settings.keyEncryptionKey,
    LANYARD_KEY_PUBLISH_LEAD: settings.publishLead,
    LANYARD_METRICS_TOKEN: settings.metricsToken,
    LANYARD_DATA_DIR: join(settings.workDir, 'data'),
    BENCH_SERVER_LOG: join(settings.workDir, `service-${settings.port}-${starts}.log`),
  });
}

/** `kill -9` of a service process: no shutdown hook runs, answers in flight are lost. Resolves once it is gone. */
export async function killService(server: ServerProcess): Promise<void> {
  process.kill(server.pid, 'SIGKILL');
  for (let waited = 0; waited < 5000; waited += 50) {
    try {
      process.kill(server.pid, 0);
    } catch {
      return;
    }
    await new Promise((done) => setTimeout(done, 50));
  }
  throw new Error(`service process ${server.pid} survived kill -9`);
}

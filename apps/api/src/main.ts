import 'reflect-metadata';
import { ConfigError, loadConfig } from './config/app-config';
import { loadDotEnv } from './config/dot-env';
import { createApp } from './create-app';
import { type OpenedDatabase, openDatabase } from './database/database-connection';
import { stopOnSignals } from './lifecycle/graceful-shutdown';
import { JsonLogger } from './logging/json-logger';

/** Before the configuration is read: a bad LOG_LEVEL must still be reported as a JSON line. */
let logger = new JsonLogger();
/** Closed on a failed start too, so the embedded database is not left to crash recovery. */
let openedDatabase: OpenedDatabase | undefined;

async function main(): Promise<void> {
  const envFile = loadDotEnv();
  const config = loadConfig(process.env);
  logger = new JsonLogger(undefined, config.logLevel);
  if (envFile) logger.log({ msg: 'read settings from .env (variables already set win)', file: envFile }, 'main');
  const database = await openDatabase(config);
  openedDatabase = database;
  if (database.embedded)
    logger.warn({ msg: 'DATABASE_URL is not set: using the embedded PostgreSQL (PGlite)', dataDir: config.dataDir }, 'main');
  const { app, root } = await createApp(config, database, logger);
  await app.listen(config.port, config.host);
  stopOnSignals({
    server: app.getHttpServer(),
    logger,
    close: async () => {
      await app.close();
      await database.close();
    },
  });
  logger.log(
    { msg: 'Lanyard is listening', host: config.host, port: config.port, externalUrl: config.externalUrl, issuer: config.idTokenIssuerUrl },
    'main',
  );
  if (root.generatedToken) {
    // Printed once, straight to the terminal and not through the redacting logger: it is the operator's only copy.
    process.stdout.write(`\nAdmin user: root\nRoot personal access token (shown once): ${root.generatedToken}\n\n`);
  }
}

main().catch(async (error: unknown) => {
  const message =
    error instanceof ConfigError ? error.message : `startup failed: ${error instanceof Error ? error.message : String(error)}`;
  logger.fatal({ msg: message }, 'main');
  await openedDatabase?.close().catch(() => undefined);
  process.exit(1);
});

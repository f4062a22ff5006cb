import 'reflect-metadata';
import { ConfigError, loadConfig } from './config/app-config';
import { createApp } from './create-app';
import { openDatabase } from './database/database-connection';
import { JsonLogger } from './logging/json-logger';

async function main(): Promise<void> {
  const logger = new JsonLogger();
  const config = loadConfig(process.env);
  const database = await openDatabase(config);
  if (database.embedded)
    logger.warn({ msg: 'DATABASE_URL is not set: using the embedded PostgreSQL (PGlite)', dataDir: config.dataDir }, 'main');
  const { app, root } = await createApp(config, database, logger);
  app.enableShutdownHooks();
  await app.listen(config.port, '0.0.0.0');
  logger.log({ msg: 'Lanyard is listening', port: config.port, externalUrl: config.externalUrl }, 'main');
  if (root.generatedToken) {
    // Printed once, straight to the terminal and not through the redacting logger: it is the operator's only copy.
    process.stdout.write(`\nAdmin user: root\nRoot personal access token (shown once): ${root.generatedToken}\n\n`);
  }
  const stop = async () => {
    await app.close();
    await database.close();
    process.exit(0);
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((error: unknown) => {
  const message =
    error instanceof ConfigError ? error.message : `startup failed: ${error instanceof Error ? error.message : String(error)}`;
  process.stderr.write(JSON.stringify({ level: 'fatal', msg: message }) + '\n');
  process.exit(1);
});

import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { DataSource } from 'typeorm';
import { AppModule } from './app.module';
import { ConfigError, loadConfig } from './config/app-config';
import { loadDotEnv } from './config/dot-env';
import { type OpenedDatabase, openDatabase } from './database/database-connection';
import { JsonLogger } from './logging/json-logger';
import { RootUserBootstrap } from './users/root-user.bootstrap';

/**
 * `npm run reset-root-token`: a lost root token is replaced by a new one, printed once; the earlier one is revoked.
 * With LANYARD_ROOT_TOKEN set, changing that variable is the way (a new value revokes the old at the next start).
 */
async function resetRootToken(logger: JsonLogger): Promise<void> {
  loadDotEnv();
  const config = loadConfig(process.env);
  if (config.rootToken) {
    throw new ConfigError('LANYARD_ROOT_TOKEN', 'is set: change its value instead (the next start revokes the earlier token)');
  }
  let database: OpenedDatabase | undefined;
  try {
    database = await openDatabase(config);
    const context = await NestFactory.createApplicationContext(AppModule.register(config, database), { logger });
    try {
      await context.get(DataSource).runMigrations();
      const token = await context.get(RootUserBootstrap).resetToken();
      // Straight to the terminal, not through the redacting logger: it is the operator's only copy.
      process.stdout.write(`\nNew root personal access token (shown once): ${token}\nThe earlier root token no longer works.\n\n`);
    } finally {
      await context.close();
    }
  } finally {
    await database?.close();
  }
}

const logger = new JsonLogger(undefined, 'warn');
resetRootToken(logger).catch((error: unknown) => {
  logger.fatal({ msg: error instanceof Error ? error.message : String(error) }, 'reset-root-token');
  process.exit(1);
});

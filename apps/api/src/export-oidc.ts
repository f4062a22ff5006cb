import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { DataSource } from 'typeorm';
import { AppModule } from './app.module';
import { loadConfig } from './config/app-config';
import { loadDotEnv } from './config/dot-env';
import { type OpenedDatabase, openDatabase } from './database/database-connection';
import { KeyStore } from './id-tokens/key-store';
import { SigningKeysService } from './id-tokens/signing-keys.service';
import { JsonLogger } from './logging/json-logger';
import { oidcExportFiles } from './oidc/oidc-export';

/**
 * `npm run export-oidc [-- <directory>]`: discovery and the JWKS as files, for a public static host at
 * LANYARD_ID_TOKEN_ISSUER_URL when cloud verifiers cannot reach this instance. Run it again after every key change.
 */
async function exportOidc(outDir: string, logger: JsonLogger): Promise<void> {
  loadDotEnv();
  const config = loadConfig(process.env);
  let database: OpenedDatabase | undefined;
  try {
    database = await openDatabase(config);
    const context = await NestFactory.createApplicationContext(AppModule.register(config, database), { logger });
    try {
      await context.get(DataSource).runMigrations();
      await context.get(SigningKeysService).refresh(context.get(DataSource).manager);
      const files = oidcExportFiles(config.idTokenIssuerUrl, context.get(KeyStore).jwks());
      for (const file of files) {
        const target = join(outDir, file.path);
        mkdirSync(dirname(target), { recursive: true });
        writeFileSync(target, file.body);
        process.stdout.write(`${target}  ->  serve at ${config.idTokenIssuerUrl}/${file.path} (Content-Type: application/json)\n`);
      }
      if (config.idTokenIssuerUrl === config.externalUrl) {
        process.stdout.write('LANYARD_ID_TOKEN_ISSUER_URL is not set: the issuer is this service, which already serves these documents.\n');
      }
    } finally {
      await context.close();
    }
  } finally {
    await database?.close();
  }
}

const logger = new JsonLogger(undefined, 'warn');
exportOidc(resolve(process.argv[2] ?? 'oidc-export'), logger).catch((error: unknown) => {
  logger.fatal({ msg: error instanceof Error ? error.message : String(error) }, 'export-oidc');
  process.exit(1);
});

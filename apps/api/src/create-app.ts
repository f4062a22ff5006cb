import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DataSource } from 'typeorm';
import { AppModule } from './app.module';
import { exactJsonContentType } from './common/exact-json-content-type';
import { mergeQueryIntoBody } from './common/query-parameters';
import { createValidationPipe } from './common/validation.pipe';
import type { AppConfig } from './config/app-config';
import type { DatabaseConnection } from './database/data-source-options';
import { SigningKeysService } from './id-tokens/signing-keys.service';
import { JsonLogger } from './logging/json-logger';
import { OidcDocuments } from './oidc/oidc-documents';
import { oidcFastPath, putInFront } from './oidc/oidc-fast-path';
import { RootBootstrapResult, RootUserBootstrap } from './users/root-user.bootstrap';
import { setUpOpenApi } from './openapi';

export interface StartedApp {
  readonly app: INestApplication;
  readonly root: RootBootstrapResult;
}

/** Builds the HTTP application, applies pending migrations and makes sure `root` exists. Used by main and tests. */
export async function createApp(config: AppConfig, database: DatabaseConnection, logger = new JsonLogger()): Promise<StartedApp> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.register(config, database), {
    logger,
    bodyParser: false,
  });
  putInFront(app.getHttpServer(), oidcFastPath(app.get(OidcDocuments)));
  app.use(exactJsonContentType);
  app.useBodyParser('json', { limit: '2mb' });
  app.useBodyParser('urlencoded', { limit: '2mb', extended: true });
  app.use(mergeQueryIntoBody);
  app.set('query parser', 'extended');
  app.disable('x-powered-by');
  app.setGlobalPrefix('api/v4', { exclude: ['-/*path', '.well-known/*path', 'oauth/*path'] });
  app.useGlobalPipes(createValidationPipe());
  setUpOpenApi(app);
  await app.get(DataSource).runMigrations();
  const root = await app.get(RootUserBootstrap).ensureRoot();
  await app.get(SigningKeysService).start();
  await app.init();
  return { app, root };
}

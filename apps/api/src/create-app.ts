import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { json } from 'express';
import type { ExpressAdapter } from '@nestjs/platform-express';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DataSource } from 'typeorm';
import { AppModule } from './app.module';
import type { Clock } from './clock/clock';
import { exactJsonContentType } from './common/exact-json-content-type';
import { refuseDeepJson } from './common/json-nesting';
import { mergeQueryIntoBody } from './common/query-parameters';
import { HttpExceptionFilter } from './common/http-exception.filter';
import { createValidationPipe } from './common/validation.pipe';
import type { AppConfig } from './config/app-config';
import type { DatabaseConnection } from './database/data-source-options';
import { answerFor } from './http-errors/error-table';
import { SigningKeysService } from './id-tokens/signing-keys.service';
import { JsonLogger } from './logging/json-logger';
import { MetricsService } from './metrics/metrics.service';
import { recordRequests } from './metrics/request-metrics';
import { logRequests } from './logging/request-logging';
import { DISCOVERY_PATH, JWKS_PATHS, OidcDocuments } from './oidc/oidc-documents';
import { putInFront } from './common/fast-path';
import { oidcFastPath } from './oidc/oidc-fast-path';
import { PICKUP_PATH, pickupFastPath, pickupRoute } from './pickup/pickup-route';
import { PickupService } from './pickup/pickup.service';
import { RootBootstrapResult, RootUserBootstrap } from './users/root-user.bootstrap';
import { setUpOpenApi } from './openapi';
import { GitHttpAccessService } from './repository/git/git-http-access';
import { gitHttpRoute } from './repository/git/git-http-route';
import { GitReceiver } from './repository/git/git-receiver';
import { GitStorage } from './repository/git-storage';

export interface StartedApp {
  readonly app: INestApplication;
  readonly root: RootBootstrapResult;
}

/**
 * Nest leaves `verify` out of the typed options because `rawBody: true` would take it; this app never sets
 * `rawBody`, and the nesting check must run on the raw bytes, before anything parses or walks the document.
 */
const jsonParserOptions: NonNullable<Parameters<typeof json>[0]> = { limit: '2mb', verify: refuseDeepJson };

/**
 * Builds the HTTP application, applies pending migrations and makes sure `root` exists. Used by main and tests;
 * tests may pass a clock they control (the system clock otherwise).
 */
export async function createApp(
  config: AppConfig,
  database: DatabaseConnection,
  logger = new JsonLogger(),
  clock?: Clock,
): Promise<StartedApp> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.register(config, database, clock), {
    logger,
    bodyParser: false,
  });
  const validation = createValidationPipe();
  const errors = new HttpExceptionFilter(answerFor);
  const adapter = app.getHttpAdapter() as ExpressAdapter;
  putInFront(app.getHttpServer(), oidcFastPath(app.get(OidcDocuments)));
  putInFront(
    app.getHttpServer(),
    pickupFastPath(app.get(PickupService), validation, errors, {
      parseJson: json(jsonParserOptions),
      etagOf: adapter.getInstance().get('etag fn'),
      mapException: (error) => adapter.mapException(error),
    }),
  );
  putInFront(app.getHttpServer(), recordRequests(app.get(MetricsService), [DISCOVERY_PATH, ...JWKS_PATHS, PICKUP_PATH]));
  app.use(logRequests);
  app.use(gitHttpRoute(app.get(GitHttpAccessService), app.get(GitStorage), app.get(GitReceiver)));
  app.use(exactJsonContentType);
  app.useBodyParser('json', jsonParserOptions);
  app.useBodyParser('urlencoded', { limit: '2mb', extended: true });
  app.use(mergeQueryIntoBody);
  app.use(pickupRoute(app.get(PickupService), validation, errors));
  app.set('query parser', 'extended');
  app.disable('x-powered-by');
  app.setGlobalPrefix('api/v4', { exclude: ['-/*path', '.well-known/*path', 'oauth/*path'] });
  app.useGlobalPipes(validation);
  setUpOpenApi(app, config.externalUrl);
  try {
    await app.get(DataSource).runMigrations();
    const root = await app.get(RootUserBootstrap).ensureRoot();
    await app.get(SigningKeysService).start();
    await app.init();
    return { app, root };
  } catch (error) {
    await app.close(); // its pool and timers, so a refused start leaves nothing running
    throw error;
  }
}

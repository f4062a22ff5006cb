import { INestApplication } from '@nestjs/common';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ModulesContainer } from '@nestjs/core';
import { DocumentBuilder, OpenAPIObject, SchemaObject, SwaggerModule } from '@nestjs/swagger';
import { defaultMetadataStorage } from 'class-transformer/cjs/storage';
import { IS_ISO8601 } from 'class-validator';
import { validationMetadatasToSchemas } from 'class-validator-jsonschema';
import { completeDocument, HandlerResponse } from './openapi-completion';
import { dropUnusedSchemas, withoutBuiltinReferences } from './openapi-schemas';
import { readRouteFacts } from './openapi-routes';

/**
 * The OpenAPI document at GET /api/v4/openapi.json. Routes and body types come from the controllers; each DTO's
 * schema is derived from its class-validator rules, and each response body from its handler's return type
 * (openapi-responses.json, written by `npm run openapi:responses`), so the document cannot drift from the code.
 */
/** Read, not imported: the compiler would otherwise type the whole file, for nothing. */
function handlerResponses(): Record<string, HandlerResponse> {
  return JSON.parse(readFileSync(join(__dirname, 'openapi-responses.json'), 'utf8')) as Record<string, HandlerResponse>;
}

export function buildOpenApiDocument(app: INestApplication, externalUrl: string): OpenAPIObject {
  // 3.1: its schemas are JSON Schema, where `null` is a type (GitLab sends many null fields), not 3.0's `nullable`.
  const config = new DocumentBuilder()
    .setOpenAPIVersion('3.1.0')
    .setTitle('Lanyard API')
    .setDescription('GitLab-compatible REST API (/api/v4) of the Lanyard CI identity service')
    .setVersion('0.1.0')
    .setLicense('MIT', 'https://opensource.org/license/mit')
    .addServer(externalUrl)
    .addApiKey({ type: 'apiKey', in: 'header', name: 'PRIVATE-TOKEN' }, 'private-token')
    .addBearerAuth()
    .build();
  const document = SwaggerModule.createDocument(app, config);
  // With class-transformer's `@Type`, a nested DTO is a reference to its own schema rather than to `Array`/`Object`.
  const dtoSchemas = withoutBuiltinReferences(
    validationMetadatasToSchemas({
      refPointerPrefix: '#/components/schemas/',
      classTransformerMetadataStorage: defaultMetadataStorage,
      // A date or a date-time, as GitLab takes `expires_at`: `anyOf`, where the library writes `oneOf` of two string
      // schemas (which reads as "never both", and a linter flags).
      additionalConverters: { [IS_ISO8601]: { type: 'string', anyOf: [{ format: 'date' }, { format: 'date-time' }] } },
    }) as Record<string, SchemaObject>,
  );
  document.components = { ...document.components, schemas: { ...document.components?.schemas, ...dtoSchemas } };
  document.security = [{ 'private-token': [] }, { bearer: [] }];
  completeDocument(document, {
    routes: readRouteFacts(app.get(ModulesContainer)),
    dtoSchemas,
    responses: handlerResponses(),
  });
  dropUnusedSchemas(document);
  return document;
}

export function setUpOpenApi(app: INestApplication, externalUrl: string): void {
  const document = buildOpenApiDocument(app, externalUrl);
  SwaggerModule.setup('api/v4/docs', app, document, { jsonDocumentUrl: 'api/v4/openapi.json', ui: false, raw: ['json'] });
}

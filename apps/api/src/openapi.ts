import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { validationMetadatasToSchemas } from 'class-validator-jsonschema';

/**
 * The OpenAPI document at GET /api/v4/openapi.json. Routes and body types come from the controllers; each DTO's
 * schema is derived from its class-validator rules, so the document cannot drift from what the API enforces.
 */
export function setUpOpenApi(app: INestApplication): void {
  const config = new DocumentBuilder()
    .setTitle('Lanyard API')
    .setDescription('GitLab-compatible REST API (/api/v4) of the Lanyard CI identity service')
    .setVersion('0.1.0')
    .addApiKey({ type: 'apiKey', in: 'header', name: 'PRIVATE-TOKEN' }, 'private-token')
    .addBearerAuth()
    .build();
  const document = SwaggerModule.createDocument(app, config);
  const dtoSchemas = validationMetadatasToSchemas({ refPointerPrefix: '#/components/schemas/' });
  document.components = {
    ...document.components,
    schemas: { ...document.components?.schemas, ...(dtoSchemas as NonNullable<typeof document.components>['schemas']) },
  };
  document.security = [{ 'private-token': [] }, { bearer: [] }];
  SwaggerModule.setup('api/v4/docs', app, document, { jsonDocumentUrl: 'api/v4/openapi.json', ui: false, raw: ['json'] });
}

import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';

/** The OpenAPI document, generated from controllers and DTOs, at GET /api/v4/openapi.json. */
export function setUpOpenApi(app: INestApplication): void {
  const config = new DocumentBuilder()
    .setTitle('Lanyard API')
    .setDescription('GitLab-compatible REST API (/api/v4) of the Lanyard CI identity service')
    .setVersion('0.1.0')
    .addApiKey({ type: 'apiKey', in: 'header', name: 'PRIVATE-TOKEN' }, 'private-token')
    .addBearerAuth()
    .build();
  const document = SwaggerModule.createDocument(app, config);
  SwaggerModule.setup('api/v4/docs', app, document, { jsonDocumentUrl: 'api/v4/openapi.json', ui: false, raw: ['json'] });
}

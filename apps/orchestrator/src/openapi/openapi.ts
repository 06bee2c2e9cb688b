import { type INestApplication } from '@nestjs/common';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';

import { PUBLIC_OPENAPI_EXTENSION } from '../auth/public.decorator';

/** The OpenAPI document of the orchestrator's HTTP API, built from the controllers. */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('nutfleet')
    .setDescription(
      'Fleet power-protection orchestrator for standalone VMware ESXi hosts: UPS monitoring through NUT, ' +
        'NutClient-ESXi deployment, planned shutdown and Wake-on-LAN restart.',
    )
    .setVersion('0.1.0')
    .addBearerAuth(
      { type: 'http', scheme: 'bearer', description: 'API token (npm run token:create, or POST /tokens)' },
      'bearer',
    )
    .addSecurityRequirements('bearer')
    .build();
  const document = SwaggerModule.createDocument(app, config);
  // Routes marked @Public() need no token: clear the document-wide requirement on them.
  for (const item of Object.values(document.paths)) {
    for (const operation of Object.values(item) as Record<string, unknown>[]) {
      if (typeof operation === 'object' && operation !== null && operation[PUBLIC_OPENAPI_EXTENSION] === true) {
        operation.security = [];
        delete operation[PUBLIC_OPENAPI_EXTENSION];
      }
    }
  }
  return document;
}

/** Serves the document at /api/docs-json and, when enabled, the UI at /api/docs. */
export function mountOpenApi(app: INestApplication, document: OpenAPIObject, withUi: boolean): void {
  SwaggerModule.setup('api/docs', app, document, { ui: withUi, raw: ['json'], jsonDocumentUrl: 'api/docs-json' });
}

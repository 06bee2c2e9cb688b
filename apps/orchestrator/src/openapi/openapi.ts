import { type INestApplication } from '@nestjs/common';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';

/** The OpenAPI document of the orchestrator's HTTP API, built from the controllers. */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('nutfleet')
    .setDescription(
      'Fleet power-protection orchestrator for standalone VMware ESXi hosts: UPS monitoring through NUT, ' +
        'NutClient-ESXi deployment, planned shutdown and Wake-on-LAN restart.',
    )
    .setVersion('0.1.0')
    .build();
  return SwaggerModule.createDocument(app, config);
}

/** Serves the document at /api/docs-json and, when enabled, the UI at /api/docs. */
export function mountOpenApi(app: INestApplication, document: OpenAPIObject, withUi: boolean): void {
  SwaggerModule.setup('api/docs', app, document, { ui: withUi, raw: ['json'], jsonDocumentUrl: 'api/docs-json' });
}

import { type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';

import { type AppConfig } from '@nutfleet/config';

import { AppModule } from './app.module';
import { buildOpenApiDocument, mountOpenApi } from './openapi/openapi';

/** Builds the HTTP application without listening: main.ts listens, tests pick their own port. */
export async function createOrchestratorApp(config: AppConfig): Promise<INestApplication> {
  const app = await NestFactory.create(AppModule.forRoot(config), { bufferLogs: true });
  app.useLogger(app.get(Logger));
  mountOpenApi(app, buildOpenApiDocument(app), config.http.openApiUi);
  return app;
}

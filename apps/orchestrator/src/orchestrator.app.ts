import { type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { type NestExpressApplication } from '@nestjs/platform-express';
import { Logger } from 'nestjs-pino';

import { type AppConfig } from '@nutfleet/config';

import { AppModule } from './app.module';
import { AuditInterceptor } from './audit/audit.interceptor';
import { mountDashboard } from './dashboard/mount-dashboard';
import { ApiExceptionFilter } from './http/api-exception.filter';
import { interceptMutatingRoutes } from './http/mutating-routes';
import { applyRequestHygiene } from './http/request-hygiene';
import { InvalidateOnWriteInterceptor } from './inventory/common/invalidate-on-write.interceptor';
import { buildOpenApiDocument, mountOpenApi } from './openapi/openapi';
import { mountQueueBoard } from './queue-inspection/mount-queue-board';

/** Builds the HTTP application without listening: main.ts listens, tests pick their own port. */
export async function createOrchestratorApp(config: AppConfig): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), {
    bufferLogs: true,
    bodyParser: false,
  });
  app.useLogger(app.get(Logger));
  applyRequestHygiene(app, config);
  // On every route that can change something: its audit entry guaranteed and cached reads dropped,
  // after success and before the response.
  interceptMutatingRoutes(app, [app.get(AuditInterceptor), app.get(InvalidateOnWriteInterceptor)]);
  app.useGlobalFilters(new ApiExceptionFilter());
  mountOpenApi(app, buildOpenApiDocument(app), config.http.openApiUi);
  mountDashboard(app);
  mountQueueBoard(app);
  return app;
}

import { type INestApplication } from '@nestjs/common';

import { type AppConfig } from '@nutfleet/config';

import { createOrchestratorApp } from '../../src/orchestrator.app';

/** An orchestrator listening on a free loopback port. */
export async function orchestratorAppForTest(config: AppConfig): Promise<INestApplication> {
  const app = await createOrchestratorApp(config);
  await app.listen(0, '127.0.0.1');
  return app;
}

import 'reflect-metadata';

import { Logger } from '@nestjs/common';

import { loadConfigOrExit } from '@nutfleet/config';
import { shutDownGracefullyOnSignal } from '@nutfleet/runtime';

import { createOrchestratorApp } from './orchestrator.app';

async function main(): Promise<void> {
  const config = loadConfigOrExit('orchestrator');
  const app = await createOrchestratorApp(config);
  const logger = new Logger('Orchestrator');
  shutDownGracefullyOnSignal({
    close: () => app.close(),
    deadlineMs: config.shutdownTimeoutMs,
    log: (l) => logger.log(l),
  });
  await app.listen(config.http.port, config.http.host);
  logger.log(
    `listening on http://${config.http.host}:${config.http.port} (API docs at /api/docs, readiness at /ready)`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(
    `nutfleet orchestrator: failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});

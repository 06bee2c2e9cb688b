import 'reflect-metadata';

import { Logger } from '@nestjs/common';

import { loadConfigOrExit } from '@nutfleet/config';
import { shutDownGracefullyOnSignal } from '@nutfleet/runtime';

import { createWorkerApp } from './worker.app';

async function main(): Promise<void> {
  const config = loadConfigOrExit('worker');
  // Creating the context initialises it: handlers are checked and consumers start here.
  const app = await createWorkerApp(config);
  const logger = new Logger('Worker');
  shutDownGracefullyOnSignal({
    close: () => app.close(),
    deadlineMs: config.shutdownTimeoutMs,
    log: (l) => logger.log(l),
  });
  logger.log('worker started');
}

main().catch((error: unknown) => {
  process.stderr.write(`nutfleet worker: failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});

import 'reflect-metadata';

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { loadConfigOrExit } from '@nutfleet/config';

import { createOrchestratorApp } from '../orchestrator.app';
import { buildOpenApiDocument } from './openapi';

export const OPENAPI_FILE = join(__dirname, '..', '..', '..', '..', '..', 'docs', 'openapi.json');

/** The document as committed: stable key order, trailing newline. */
export function serializeOpenApi(document: unknown): string {
  return `${JSON.stringify(document, null, 2)}\n`;
}

// `npm run openapi:export` rewrites docs/openapi.json from the controllers; a test fails when the
// committed copy is stale. Building the document needs no database or Redis connection.
if (require.main === module) {
  const config = loadConfigOrExit('openapi-export', {
    DATABASE_URL: 'postgresql://unused@127.0.0.1:1/unused',
    REDIS_URL: 'redis://127.0.0.1:1',
    NUTFLEET_SECRET_KEY: '0'.repeat(64),
    LOG_LEVEL: 'error',
    ...process.env,
  });
  createOrchestratorApp(config)
    .then(async (app) => {
      writeFileSync(OPENAPI_FILE, serializeOpenApi(buildOpenApiDocument(app)));
      await app.close();
      process.stdout.write(`wrote ${OPENAPI_FILE}\n`);
      process.exit(0);
    })
    .catch((error: unknown) => {
      process.stderr.write(`openapi export failed: ${String(error)}\n`);
      process.exit(1);
    });
}

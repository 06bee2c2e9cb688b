import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';

import { testConfig } from '@nutfleet/testing';

import { buildOpenApiDocument } from '../src/openapi/openapi';
import { OPENAPI_FILE, serializeOpenApi } from '../src/openapi/export-openapi';
import { createOrchestratorApp } from '../src/orchestrator.app';

test('docs/openapi.json is the document the controllers produce', async () => {
  const app = await createOrchestratorApp(
    testConfig({ DATABASE_URL: 'postgresql://unused@127.0.0.1:1/unused', REDIS_URL: 'redis://127.0.0.1:1' }),
  );
  try {
    const current = serializeOpenApi(buildOpenApiDocument(app));
    const committed = readFileSync(OPENAPI_FILE, 'utf8');
    assert.ok(current === committed, 'docs/openapi.json is stale: run `npm run openapi:export` and commit it');
  } finally {
    await app.close();
  }
});

#!/usr/bin/env node
// `npm run ui:types`: writes the dashboard's API types (apps/orchestrator/ui/src/api-types.generated.ts)
// from the committed OpenAPI document (docs/openapi.json, written by `npm run openapi:export`, which
// runs this too). Offline; a unit test fails while the file is stale.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { relative } from 'node:path';

import { renderUiApiTypes, UI_API_TYPES_FILE } from './lib/ui-api-types.mjs';
import { root } from './lib/prepare.mjs';

const text = await renderUiApiTypes();
const before = existsSync(UI_API_TYPES_FILE) ? readFileSync(UI_API_TYPES_FILE, 'utf8') : undefined;
const name = relative(root, UI_API_TYPES_FILE);
if (before === text) {
  console.log(`ui:types: ${name} is up to date`);
} else {
  writeFileSync(UI_API_TYPES_FILE, text);
  console.log(`ui:types: wrote ${name}; build (npm run build) to check the dashboard against it`);
}

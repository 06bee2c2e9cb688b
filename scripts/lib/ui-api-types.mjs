// Where the dashboard's generated API types come from and go: one place for `npm run ui:types`
// and the test that keeps them current.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { renderApiTypes } from './openapi-types.mjs';
import { root } from './prepare.mjs';

export const OPENAPI_DOCUMENT_FILE = join(root, 'docs/openapi.json');
export const UI_API_TYPES_FILE = join(root, 'apps/orchestrator/ui/src/api-types.generated.ts');

/** The generated file's text for the committed OpenAPI document. */
export function renderUiApiTypes() {
  return renderApiTypes(JSON.parse(readFileSync(OPENAPI_DOCUMENT_FILE, 'utf8')), {
    source: 'docs/openapi.json',
    generator: '`npm run ui:types` (scripts/ui-api-types.mjs)',
    prettierConfigFile: UI_API_TYPES_FILE,
  });
}

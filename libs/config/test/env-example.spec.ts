import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

import { envSchema, parseConfig } from '@nutfleet/config';

const REPO_ROOT = join(__dirname, '..', '..', '..', '..');

function exampleEntries(): Map<string, string> {
  // Variables after this marker belong to docker-compose.yml, not to the application.
  const text = readFileSync(join(REPO_ROOT, '.env.example'), 'utf8').split('# --- docker compose only')[0] ?? '';
  const entries = new Map<string, string>();
  for (const line of text.split('\n')) {
    const match = /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(line);
    if (match?.[1] !== undefined) entries.set(match[1], match[2] ?? '');
  }
  return entries;
}

test('.env.example lists exactly the variables the schema reads', () => {
  assert.deepEqual([...exampleEntries().keys()].sort(), Object.keys(envSchema.shape).sort());
});

test('.env.example states the schema defaults', () => {
  const entries = exampleEntries();
  const defaults = parseConfig({ DATABASE_URL: entries.get('DATABASE_URL'), NUTFLEET_SECRET_KEY: 'f'.repeat(64) });
  const fromExample = parseConfig({ ...Object.fromEntries(entries), NUTFLEET_SECRET_KEY: 'f'.repeat(64) });
  assert.ok(defaults.ok && fromExample.ok);
  assert.deepEqual(fromExample.config, defaults.config);
});

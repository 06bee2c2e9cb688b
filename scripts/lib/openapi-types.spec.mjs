import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';

import { renderApiTypes, typeOf } from './openapi-types.mjs';
import { renderUiApiTypes, UI_API_TYPES_FILE } from './ui-api-types.mjs';

describe('typeOf', () => {
  test('scalars, enums, arrays, references', () => {
    assert.equal(typeOf({ type: 'string', format: 'date-time' }), 'string');
    assert.equal(typeOf({ type: 'integer' }), 'number');
    assert.equal(typeOf({ type: 'boolean' }), 'boolean');
    assert.equal(typeOf({ type: 'string', enum: ['ARMED', 'DRY_RUN'] }), '"ARMED" | "DRY_RUN"');
    assert.equal(typeOf({ type: 'array', items: { $ref: '#/components/schemas/HostDto' } }), 'HostDto[]');
    assert.throws(() => typeOf({ $ref: 'other.json#/X' }), /unsupported \$ref/);
  });

  test('nullable, unions and intersections get parentheses only where they need them', () => {
    assert.equal(typeOf({ type: 'string', nullable: true }), 'string | null');
    assert.equal(typeOf({ nullable: true, oneOf: [{ type: 'string' }, { type: 'number' }] }), 'string | number | null');
    assert.equal(typeOf({ type: 'array', items: { type: 'string', enum: ['a', 'b'] } }), '("a" | "b")[]');
    assert.equal(typeOf({ type: 'array', items: { type: 'number', nullable: true } }), '(number | null)[]');
    assert.equal(
      typeOf({ nullable: true, type: 'object', allOf: [{ $ref: '#/components/schemas/EmailDto' }] }),
      'EmailDto | null',
    );
    assert.equal(
      typeOf({ allOf: [{ $ref: '#/components/schemas/A' }, { oneOf: [{ type: 'string' }, { type: 'number' }] }] }),
      'A & (string | number)',
    );
  });

  test('objects: required and optional members, maps, and untyped ones', () => {
    assert.equal(
      typeOf({
        type: 'object',
        properties: { id: { type: 'string' }, 'x-y': { type: 'number', description: 'a count' } },
        required: ['id'],
      }),
      '{\n  id: string;\n  /** a count */\n  "x-y"?: number;\n}',
    );
    assert.equal(typeOf({ type: 'object' }), 'Record<string, unknown>');
    assert.equal(typeOf({ type: 'object', additionalProperties: { type: 'number' } }), 'Record<string, number>');
    assert.equal(
      typeOf({ type: 'object', additionalProperties: true, nullable: true }),
      'Record<string, unknown> | null',
    );
    // Whatever the document does not say stays unknown rather than guessed.
    assert.equal(typeOf({}), 'unknown');
    assert.equal(typeOf({ nullable: true }), 'unknown');
  });
});

test('renderApiTypes declares every schema, documented, formatted by Prettier', async () => {
  const text = await renderApiTypes(
    {
      components: {
        schemas: {
          PageDto: {
            type: 'object',
            description: 'One page',
            properties: {
              items: { type: 'array', items: { type: 'string' } },
              next: { type: 'string', nullable: true, example: 'abc' },
            },
            required: ['items', 'next'],
          },
          State: { type: 'string', enum: ['ON', 'OFF'] },
        },
      },
    },
    { source: 'x.json', generator: 'a test', prettierConfigFile: UI_API_TYPES_FILE },
  );
  assert.equal(
    text,
    [
      '// Generated from x.json by a test: do not edit by hand.',
      '// The dashboard talks to the API in these types; a change to the API shows up here, and where',
      "// the dashboard's code no longer fits, as a build error.",
      '',
      '/** One page */',
      'export interface PageDto {',
      '  items: string[];',
      '  /** @example "abc" */',
      '  next: string | null;',
      '}',
      '',
      "export type State = 'ON' | 'OFF';",
      '',
    ].join('\n'),
  );
});

test("the dashboard's api-types.generated.ts is current with docs/openapi.json", async () => {
  assert.ok(
    readFileSync(UI_API_TYPES_FILE, 'utf8') === (await renderUiApiTypes()),
    'apps/orchestrator/ui/src/api-types.generated.ts is stale: run `npm run ui:types` (npm run openapi:export runs it too) and commit it',
  );
});

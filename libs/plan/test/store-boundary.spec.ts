import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, test } from 'node:test';

/**
 * Every statement on Plan, PlanStep and PendingPlanSteps lives in libs/plan's store. This walks the product's
 * sources (apps, libs, benches, seed) and fails on a query of either table anywhere else, so a
 * renamed column breaks one file, not an end-to-end test. Tests may read plans to check them.
 */
const ROOT = join(__dirname, '..', '..', '..', '..');
const SCANNED = ['apps', 'libs', 'bench', 'prisma'];
const ALLOWED = [/^libs\/plan\//, /\/generated\//, /\/test\//, /\.spec\.ts$/, /^apps\/orchestrator\/ui\//];

const QUERIES: ReadonlyArray<[RegExp, string]> = [
  [
    /\.(plan|planStep|pendingPlanSteps)\.(find\w*|create\w*|update\w*|upsert|delete\w*|count|groupBy|aggregate)\s*\(/,
    'a Prisma query',
  ],
  [/"(Plan(Step)?|PendingPlanSteps)"\s*(AS|WHERE|SET|\(|$|\s)/m, 'plain SQL on the table'],
  [/include:\s*\{[^}]*\bplan:/, 'a relation read through another model'],
];

function sources(dir: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === 'dist') continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...sources(path));
    else if (entry.name.endsWith('.ts')) found.push(path);
  }
  return found;
}

describe('the plan store is the only place that queries plans', () => {
  test('no Prisma call or SQL on Plan or PlanStep outside libs/plan', () => {
    const offenders: string[] = [];
    for (const top of SCANNED) {
      for (const path of sources(join(ROOT, top))) {
        const file = relative(ROOT, path);
        if (ALLOWED.some((rule) => rule.test(file))) continue;
        const text = readFileSync(path, 'utf8');
        for (const [pattern, what] of QUERIES) if (pattern.test(text)) offenders.push(`${file}: ${what}`);
      }
    }
    assert.deepEqual(offenders, [], 'move these into @nutfleet/plan');
  });
});

import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { after, describe, test } from 'node:test';

import { root } from './prepare.mjs';
import { testTierOf, unitSpecViolations } from './test-tiers.mjs';

describe('testTierOf', () => {
  test('the tier is the suffix before .spec, source or compiled', () => {
    assert.equal(testTierOf('apps/orchestrator/test/auth.e2e.spec.ts'), 'e2e');
    assert.equal(testTierOf('/x/dist/libs/nut/test/nut-client.integration.spec.js'), 'integration');
    assert.equal(testTierOf('libs/power/src/restart-plan.spec.ts'), 'unit');
    assert.equal(testTierOf('scripts/lib/test-tiers.spec.mjs'), 'unit');
    // Only the suffix counts, not a word elsewhere in the name.
    assert.equal(testTierOf('libs/x/e2e-helpers.spec.ts'), 'unit');
  });
});

describe('unitSpecViolations', () => {
  const fixture = mkdtempSync(join(tmpdir(), 'nutfleet-tiers-'));
  after(() => rmSync(fixture, { recursive: true, force: true }));
  const write = (path, text) => {
    mkdirSync(dirname(join(fixture, path)), { recursive: true });
    writeFileSync(join(fixture, path), text);
    return join(fixture, path);
  };
  const problemsOf = (path, text) =>
    unitSpecViolations(fixture, [write(path, text)]).map((v) => `${v.at}:${v.line} ${v.problem}`);

  test('a spec of pure code, with type-only imports of I/O classes, passes', () => {
    write('libs/testing/src/esxi-sim/index.ts', 'export const parseShellLine = 1;\n');
    const problems = problemsOf(
      'libs/a/src/pure.spec.ts',
      [
        "import assert from 'node:assert/strict';",
        "import { createSocket } from 'node:dgram';",
        "import { type PrismaService, sealSecret } from '@nutfleet/db';",
        "import type { Queue } from 'bullmq';",
        "import { REPO_ROOT, testConfig } from '@nutfleet/testing';",
        "import { parseShellLine } from '../../testing/src/esxi-sim';",
        "import { decide } from './decide';",
        "export type { Redis } from 'ioredis';",
      ].join('\n'),
    );
    assert.deepEqual(problems, []);
  });

  test('processes, PostgreSQL, Redis and a browser are named, in every import form', () => {
    const problems = problemsOf(
      'libs/a/src/io.spec.ts',
      [
        "import { spawn } from 'node:child_process';",
        "import { Client } from 'pg';",
        "import Redis from 'ioredis';",
        "import * as bull from 'bullmq';",
        "const pw = require('playwright-core');",
        "export { fork } from 'child_process';",
        "async function later() { return import('@prisma/client'); }",
        "import cluster = require('node:cluster');",
      ].join('\n'),
    );
    assert.deepEqual(problems, [
      'libs/a/src/io.spec.ts:1 imports node:child_process (starts processes)',
      'libs/a/src/io.spec.ts:2 imports pg (connects to PostgreSQL)',
      'libs/a/src/io.spec.ts:3 imports ioredis (connects to Redis)',
      'libs/a/src/io.spec.ts:4 imports bullmq (connects to Redis)',
      'libs/a/src/io.spec.ts:5 imports playwright-core (drives a browser)',
      'libs/a/src/io.spec.ts:6 imports child_process (starts processes)',
      'libs/a/src/io.spec.ts:7 imports @prisma/client (connects to PostgreSQL)',
      'libs/a/src/io.spec.ts:8 imports node:cluster (starts processes)',
    ]);
  });

  test('the Prisma client and the harness starters are refused; the harness as a whole too', () => {
    const problems = problemsOf(
      'apps/b/test/starts.spec.ts',
      [
        "import { createPrismaClient, PrismaService } from '@nutfleet/db';",
        "import { startNutTestbed, REPO_ROOT } from '@nutfleet/testing';",
        "import * as harness from '@nutfleet/testing';",
      ].join('\n'),
    );
    assert.equal(problems.length, 4, problems.join('\n'));
    assert.match(problems[0], /:1 imports createPrismaClient from @nutfleet\/db \(connects to PostgreSQL/);
    assert.match(problems[1], /:1 imports PrismaService from @nutfleet\/db/);
    assert.match(problems[2], /:2 imports startNutTestbed from the test harness/);
    assert.match(problems[3], /:3 imports the test harness as a whole/);
  });

  test('test helpers are followed, through helpers of helpers; the code under test is not', () => {
    write('libs/c/test/support/fleet.ts', "export { startEsxiFleet as start } from '../../../testing/src/esxi-sim';\n");
    write('libs/c/test/support/index.ts', "export * from './fleet';\nexport const pure = 1;\n");
    write(
      'libs/c/src/sender.ts',
      "import { createSocket } from 'node:dgram';\nimport { spawn } from 'node:child_process';\n",
    );
    const problems = problemsOf(
      'libs/c/test/uses-helper.spec.ts',
      "import { pure } from './support';\nimport { send } from '../src/sender';\n",
    );
    assert.equal(problems.length, 1, problems.join('\n'));
    assert.match(problems[0], /^libs\/c\/test\/support\/fleet\.ts:1 imports startEsxiFleet from the test harness/);
    // And a second spec through the same helper is named too, not only the first one found.
    const again = unitSpecViolations(fixture, [
      write('libs/c/test/first.spec.ts', "import { pure } from './support';\n"),
      write('libs/c/test/second.spec.ts', "import { pure } from './support';\n"),
    ]);
    assert.deepEqual(
      again.map((v) => v.spec),
      ['libs/c/test/first.spec.ts', 'libs/c/test/second.spec.ts'],
    );
  });
});

test("every unit spec of the repository stays inside the test process (the runner's guard, over all of them)", () => {
  const specs = [];
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.name === 'node_modules' || entry.name === 'dist' || entry.name.startsWith('.')) continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (/\.spec\.(ts|mjs)$/.test(entry.name) && testTierOf(path) === 'unit') specs.push(path);
    }
  };
  for (const top of ['apps', 'libs', 'prisma', 'bench', 'scripts']) walk(join(root, top));
  assert.ok(specs.length > 50, `only ${specs.length} unit specs found under ${root}`);
  const violations = unitSpecViolations(root, specs).map(
    (v) => `${v.spec} → ${relative(root, join(root, v.at))}:${v.line}: ${v.problem}`,
  );
  assert.deepEqual(violations, []);
});

import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';

import { freePortRange, runDemoOutage } from './support/demo-outage-run';
import { type DetachedRun, runDetached } from './support/detached-run';
import { copyWorkingTree } from './support/working-tree-copy';

// A newcomer's first commands on a fresh clone (no node_modules, no dist, no .env), as the README
// gives them: `npm test` installs what it needs before building, and `npm run demo:outage` works
// without a .env, with the configuration `npm start` would create.

const DEMO_HOSTS = 12;
// On a fresh clone demo:outage first builds the whole tree.
const DEMO_TIMEOUT_MS = 6 * 60_000;
const INSTALL_TIMEOUT_MS = 5 * 60_000;
const clone = copyWorkingTree();
const cleanups: Array<() => Promise<void>> = [async () => rmSync(clone, { recursive: true, force: true })];

after(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

function npm(args: string[], timeoutMs: number): Promise<DetachedRun> {
  return runDetached('npm', args, {
    cwd: clone,
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: process.env.HOME ?? '/root',
      // The packages are in npm's cache whenever this repository was installed on the machine.
      npm_config_prefer_offline: 'true',
    },
    timeoutMs,
  });
}

test(
  'npm test -- --unit on a fresh clone installs the dependencies, builds and runs the unit tests',
  { timeout: INSTALL_TIMEOUT_MS + 60_000 },
  async () => {
    assert.equal(existsSync(join(clone, 'node_modules')), false);
    const run = await npm(['test', '--', '--unit', 'libs/config'], INSTALL_TIMEOUT_MS);
    assert.equal(run.code, 0, run.output);
    assert.match(run.output, /test: installing dependencies \(npm ci\)/);
    assert.ok(existsSync(join(clone, 'node_modules/typescript/bin/tsc')));
    // node's test runner's summary ends the output, as in the full run.
    assert.match(run.output, /ℹ pass [1-9]\d*\nℹ fail 0\n/);
  },
);

test(
  'npm run demo:outage without a .env creates it as npm start would, plays the outage and prints the restart waves 0 → 1 → 2, leaving nothing running',
  { timeout: DEMO_TIMEOUT_MS + 60_000 },
  async () => {
    const run = await runDemoOutage({
      cwd: clone,
      basePort: await freePortRange(DEMO_HOSTS),
      secretKeyInEnvironment: false,
      timeoutMs: DEMO_TIMEOUT_MS,
      onCleanup: (cleanup) => cleanups.push(cleanup),
    });
    process.stdout.write(`# demo:outage on a fresh clone took ${(run.ms / 1000).toFixed(1)} s\n`);
    const out = run.output;
    assert.equal(run.code, 0, out);
    assert.deepEqual(run.leftovers, [], `processes left running:\n${out}`);
    // The configuration npm start would have written: .env.example's defaults and a new key.
    assert.match(out, /\[demo:outage\] created \.env from \.env\.example with a new NUTFLEET_SECRET_KEY/);
    const env = readFileSync(join(clone, '.env'), 'utf8');
    assert.match(env, /^NUTFLEET_SECRET_KEY=[0-9a-f]{64}$/m);
    assert.equal(
      env.replace(/^NUTFLEET_SECRET_KEY=.*$/m, 'NUTFLEET_SECRET_KEY='),
      readFileSync(join(clone, '.env.example'), 'utf8'),
    );

    const timeline = out.slice(out.indexOf('=== nutfleet demo outage timeline'));
    assert.ok(timeline.startsWith('==='), out);
    const lines = timeline.split('\n');
    const first = (pattern: RegExp): number => lines.findIndex((l) => pattern.test(l));
    const onBattery = first(/power\s+ups-[ab]: OL → OB/);
    const shutdownDone = first(/plan\s+SHUTDOWN plan finished: SUCCEEDED/);
    const powerBack = first(/power\s+ups-[ab]: OB[^→]* → OL/);
    const restartDone = first(/plan\s+RESTART plan finished: SUCCEEDED/);
    assert.ok(onBattery >= 0, `no power failure in the timeline:\n${timeline}`);
    assert.ok(shutdownDone > onBattery, `no finished shutdown after the power failure:\n${timeline}`);
    assert.ok(powerBack > onBattery, `power never returned:\n${timeline}`);
    assert.ok(restartDone > powerBack, `no finished restart after power returned:\n${timeline}`);
    assert.equal(lines.filter((l) => /host powered off \(SUCCEEDED\)/.test(l)).length, DEMO_HOSTS, timeline);
    // Both plans end in a report, at the dashboard's report page under the demo's address.
    for (const kind of ['shutdown', 'restart'])
      assert.match(
        out,
        new RegExp(`\\[demo:outage\\] ${kind} report: http://127\\.0\\.0\\.1:\\d+/ui/#/plans/[0-9a-f-]{36}/report`),
        out,
      );

    // Every host of a wave verified before the first magic packet of the next one.
    const wakes = (wave: number): number[] =>
      lines.flatMap((l, i) => (new RegExp(`restart\\s+wave ${wave} .*magic packets sent`).test(l) ? [i] : []));
    const verified = (wave: number): number[] =>
      lines.flatMap((l, i) => (new RegExp(`restart\\s+wave ${wave} .*ESXi verified`).test(l) ? [i] : []));
    assert.deepEqual(
      [0, 1, 2].map((w) => verified(w).length),
      [4, 4, 4],
      timeline,
    );
    for (const wave of [1, 2]) {
      assert.ok(Math.min(...wakes(wave)) > Math.max(...verified(wave - 1)), `wave ${wave} early:\n${timeline}`);
      assert.ok(Math.min(...wakes(wave)) > powerBack, timeline);
    }
    assert.match(
      timeline,
      new RegExp(`restart waves in the order they were woken: 0 → 1 → 2; ${DEMO_HOSTS}/${DEMO_HOSTS} hosts verified`),
    );
    // The replay of the recorded outage reproduces its decisions and plan.
    assert.match(
      out,
      new RegExp(
        `replay of the recorded outage .*: ${DEMO_HOSTS}/${DEMO_HOSTS} hosts critical within one poll of the live decision, the same \\d+ steps`,
      ),
    );
  },
);

import assert from 'node:assert/strict';
import { after, test } from 'node:test';

import { freePortRange, listen, runDemoOutage } from './support/demo-outage-run';

// `npm run demo:outage` (the real entry point) when the demo cannot start. The whole outage it
// plays is checked on a fresh clone, in fresh-clone.e2e.spec.ts.

const DEMO_HOSTS = 12;
const RUN_TIMEOUT_MS = 4 * 60_000;
const cleanups: Array<() => Promise<void>> = [];

after(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

test(
  'npm run demo:outage fails at once, naming the port, when a demo SSH port is taken',
  { timeout: RUN_TIMEOUT_MS + 60_000 },
  async () => {
    const basePort = await freePortRange(DEMO_HOSTS);
    const squatter = await listen(basePort + 5);
    assert.ok(squatter, 'could not take the port');
    try {
      const run = await runDemoOutage({
        basePort,
        timeoutMs: RUN_TIMEOUT_MS,
        onCleanup: (cleanup) => cleanups.push(cleanup),
      });
      process.stdout.write(`# demo:outage with a taken port took ${(run.ms / 1000).toFixed(1)} s\n`);
      assert.notEqual(run.code, 0, run.output);
      assert.match(run.output, new RegExp(`\\[demo:outage\\].*${basePort + 5}`), run.output);
      assert.deepEqual(run.leftovers, [], `processes left running:\n${run.output}`);
      // Failing means failing: well before the waits for a running demo (10 min) time out.
      assert.ok(run.ms < 150_000, `took ${run.ms} ms`);
    } finally {
      await new Promise((resolve) => squatter.close(resolve));
    }
  },
);

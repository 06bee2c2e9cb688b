import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { startEsxiFleet } from '../../src/esxi-sim';
import { closeConnections, runOn } from './ssh-test.client';

describe('esxi-sim at scale', () => {
  it('holds 1,000 hosts in one process under 2 GiB RSS', async () => {
    const started = Date.now();
    const fleet = await startEsxiFleet({ hosts: 1000, seed: 'scale' });
    try {
      const startMs = Date.now() - started;
      assert.equal(new Set(fleet.hosts.map((h) => h.port)).size, 1000);
      assert.equal(new Set(fleet.hosts.map((h) => h.fingerprint)).size, 1000);
      // Every host holds an open SSH session during the measurement (the bench's situation);
      // the 1,000 client ends live in this process too, so the figure is an upper bound.
      const results = [];
      for (let i = 0; i < fleet.hosts.length; i += 50) {
        results.push(
          ...(await Promise.all(fleet.hosts.slice(i, i + 50).map((h) => runOn(h, 'esxcli system version get')))),
        );
      }
      assert.equal(results.filter((r) => r.code === 0).length, 1000);
      global.gc?.();
      const rss = process.memoryUsage().rss;
      console.log(
        `esxi-sim: 1000 hosts started in ${startMs} ms, all connected after ${Date.now() - started} ms, RSS ${(rss / 1024 / 1024).toFixed(1)} MiB`,
      );
      assert.ok(rss < 2 * 1024 ** 3, `RSS ${rss} bytes`);
    } finally {
      await closeConnections();
      await fleet.stop();
    }
  });
});

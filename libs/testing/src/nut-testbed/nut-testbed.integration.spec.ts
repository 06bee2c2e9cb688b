import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, it } from 'node:test';
import { NutClient, NutDriverNotConnectedError, NutVarNotSupportedError } from '@nutfleet/nut';
import { NutTestbed } from './nut-testbed';

function processesUsing(dir: string): string {
  try {
    return execFileSync('pgrep', ['-af', 'upsd|dummy-ups'], { encoding: 'utf8' })
      .split('\n')
      .filter((line) => line.includes(dir) || false)
      .join('\n');
  } catch {
    return '';
  }
}

describe('NutTestbed', () => {
  it('changes variables at runtime, deletes them, restarts drivers, and cleans up after itself', async (t) => {
    const bed = await NutTestbed.start({ upses: [{ name: 'rack', variables: { 'ups.temperature': '30' } }] }, t);
    assert.deepEqual(bed.upsNames, ['rack']);
    const client = await NutClient.connect(bed.connectOptions());
    t.after(() => client.destroy());
    assert.equal(await client.getVar('rack', 'ups.temperature'), '30');

    // Two rewrites in the same second must both be seen (mtime has 1 s resolution).
    bed.setStatus('rack', 'OB');
    bed.setVariables('rack', { 'ups.status': 'OB LB', 'ups.temperature': null });
    await bed.waitForVariable('rack', 'ups.status', 'OB LB');
    await assert.rejects(client.getVar('rack', 'ups.temperature'), NutVarNotSupportedError);
    assert.equal(bed.variables('rack')['ups.status'], 'OB LB');

    await bed.killDriver('rack');
    const deadline = Date.now() + 5000;
    let lastError: unknown;
    while (!(lastError instanceof NutDriverNotConnectedError) && Date.now() < deadline) {
      lastError = await client.getVar('rack', 'ups.status').then(
        () => undefined,
        (error: unknown) => error,
      );
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    assert.ok(lastError instanceof NutDriverNotConnectedError, String(lastError));
    bed.startDriver('rack');
    assert.equal(await bed.waitForVariable('rack', 'ups.status', 'OB LB'), 'OB LB');

    const dir = bed.dir;
    await bed.stop();
    assert.equal(existsSync(dir), false);
    assert.equal(processesUsing(dir), '');
  });

  it('restarts upsd on the same port', async (t) => {
    const bed = await NutTestbed.start({}, t);
    const port = bed.port;
    await bed.restartUpsd();
    assert.equal(bed.port, port);
    const client = await NutClient.connect(bed.connectOptions());
    assert.equal(await client.getVar('ups1', 'ups.status'), 'OL');
    await client.close();
  });
});

/**
 * The power-cycle commands against a real upsd. One UPS is served by NUT's `clone` driver on a
 * simulated hardware socket (libs/testing ups-hardware.socket.ts): clone really executes
 * `shutdown.return` (offdelay, output off, ondelay once mains is back, output on), which dummy-ups
 * does not. The other is a plain dummy-ups UPS, which lists only `load.off`.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { NutTestbed } from '@nutfleet/testing';
import { NutAccessDeniedError, NutClient, NutCmdNotSupportedError, NutReadonlyError, parseUpsStatus } from '../src';

describe('power-cycle commands against a real upsd', () => {
  let bed: NutTestbed;
  before(async () => {
    bed = await NutTestbed.start({
      upses: [{ name: 'cyc', powerCycle: { offDelaySec: 2, onDelaySec: 2 } }, { name: 'plain' }],
    });
  });
  after(() => bed.stop());

  it('clone lists shutdown.return/stayoff; its delays are readable, not writable', async () => {
    const client = await NutClient.connect(bed.connectOptions());
    try {
      assert.deepEqual((await client.listCommands('cyc')).sort(), ['shutdown.return', 'shutdown.stayoff']);
      assert.equal(await client.getVar('cyc', 'ups.delay.shutdown'), '2');
      const rw = await client.listRw('cyc');
      assert.equal(rw['ups.delay.shutdown'], undefined);
      await client.authenticate(bed.operator);
      await assert.rejects(client.setVar('cyc', 'ups.delay.shutdown', '5'), NutReadonlyError);
      // dummy-ups marks every variable writable.
      assert.equal((await client.listRw('plain'))['ups.load'], '25');
    } finally {
      await client.close();
    }
  });

  it('the monitoring account may not run instant commands; the operator account may not LOGIN', async () => {
    const monitor = await NutClient.connect(bed.connectOptions());
    const operator = await NutClient.connect(bed.connectOptions());
    try {
      await monitor.authenticate(bed.monitor);
      await assert.rejects(monitor.instCmd('cyc', 'shutdown.return'), NutAccessDeniedError);
      await operator.authenticate(bed.operator);
      await assert.rejects(operator.login('cyc'), NutAccessDeniedError);
      await assert.rejects(operator.instCmd('plain', 'shutdown.return'), NutCmdNotSupportedError);
    } finally {
      await Promise.all([monitor.close(), operator.close()]);
    }
  });

  it('INSTCMD with a value reaches the driver (dummy-ups answers UNKNOWN through TRACKING)', async () => {
    const client = await NutClient.connect(bed.connectOptions());
    try {
      await client.authenticate(bed.operator);
      assert.equal(await client.enableTracking(), true);
      const ack = await client.instCmd('plain', 'load.off', '0');
      assert.ok(ack.trackingId !== null);
      assert.equal(await client.waitForTracking(ack.trackingId, { timeoutMs: 8000 }), 'UNKNOWN');
    } finally {
      await client.close();
    }
  });

  it('shutdown.return: tracked SUCCESS, the output goes OFF after offdelay and comes back OL', async () => {
    const client = await NutClient.connect(bed.connectOptions());
    try {
      await client.authenticate(bed.operator);
      await client.enableTracking();
      const sentAt = Date.now();
      const ack = await client.instCmd('cyc', 'shutdown.return');
      assert.ok(ack.trackingId !== null);
      assert.equal(await client.waitForTracking(ack.trackingId, { timeoutMs: 8000 }), 'SUCCESS');
      await bed.waitForVariable('cyc', 'ups.status', (status) => parseUpsStatus(status).flags.includes('OFF'), 15_000);
      assert.ok(Date.now() - sentAt >= 1500, 'the output stayed on for offdelay');
      assert.equal(bed.hardware('cyc').outputPowered, false);
      await bed.waitForVariable('cyc', 'ups.status', 'OL', 15_000);
      assert.deepEqual(
        bed.hardware('cyc').commands.map((event) => event.command),
        ['load.off', 'load.on'],
      );
    } finally {
      await client.close();
    }
  });
});

/**
 * The power-cycle commands against a real upsd. One UPS is served by NUT's `clone` driver on a
 * simulated hardware socket (libs/testing ups-hardware.socket.ts): clone really executes
 * `shutdown.return` (offdelay, output off, ondelay once mains is back, output on), which dummy-ups
 * does not. The other is a plain dummy-ups UPS, which lists only `load.off`.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { NutTestbed } from '@nutfleet/testing';
import {
  NutAccessDeniedError,
  NutClient,
  NutCmdNotSupportedError,
  NutReadonlyError,
  describeNutWrite,
  parseUpsStatus,
  probeSetRight,
  runNutWriteSequence,
} from '../src';

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

describe('write sequence and SET-right probe against a real upsd', () => {
  it('probeSetRight: true for the operator, false for the monitor and for a wrong password; nothing changes', async (t) => {
    const bed = await NutTestbed.start({ upses: 1 }, t);
    const check = async (username: string, password: string): Promise<boolean> => {
      const client = await NutClient.connect(bed.connectOptions());
      try {
        await client.authenticate({ username, password });
        return await probeSetRight(client, 'ups1');
      } finally {
        await client.close();
      }
    };
    assert.equal(await check(bed.operator.username, bed.operator.password), true);
    assert.equal(await check(bed.monitor.username, bed.monitor.password), false);
    assert.equal(await check(bed.operator.username, 'wrong'), false);
  });

  it('runNutWriteSequence stops at the first refusal and reports tracked outcomes', async (t) => {
    const bed = await NutTestbed.start({ upses: [{ name: 'cyc', powerCycle: { offDelaySec: 30, onDelaySec: 2 } }] }, t);
    const client = await NutClient.connect(bed.connectOptions());
    t.after(() => client.close());
    await client.authenticate(bed.operator);
    const sent: string[] = [];
    await assert.rejects(
      runNutWriteSequence(
        client,
        'cyc',
        [
          { kind: 'set-var', name: 'battery.charge.low', value: '10' },
          { kind: 'set-var', name: 'ups.delay.shutdown', value: '5' },
          { kind: 'instcmd', command: 'shutdown.return' },
        ],
        { onSend: (request) => void sent.push(describeNutWrite(request)) },
      ),
      NutReadonlyError,
    );
    assert.deepEqual(sent, ['SET VAR battery.charge.low=10', 'SET VAR ups.delay.shutdown=5']);
    assert.equal(bed.hardware('cyc').commands.length, 0, 'the command after the refusal was never sent');
    const results = await runNutWriteSequence(client, 'cyc', [{ kind: 'instcmd', command: 'shutdown.stayoff' }]);
    assert.deepEqual(results, [{ request: { kind: 'instcmd', command: 'shutdown.stayoff' }, outcome: 'SUCCESS' }]);
  });
});

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { NutTestbed } from '@nutfleet/testing';
import {
  NutAccessDeniedError,
  NutAlreadyLoggedInError,
  NutClient,
  NutCmdNotSupportedError,
  NutFeatureNotConfiguredError,
  NutVarNotSupportedError,
  parseUpsStatus,
} from '../src';

describe('admin commands against a real upsd + dummy-ups', () => {
  let bed: NutTestbed;
  before(async () => {
    bed = await NutTestbed.start({ upses: 2 });
  });
  after(() => bed.stop());

  it('SET VAR with TRACKING: SUCCESS, and the new value shows up', async () => {
    const client = await NutClient.connect(bed.connectOptions());
    try {
      await client.authenticate(bed.admin);
      assert.equal(await client.getTrackingMode(), false);
      await client.setTracking(true);
      assert.equal(await client.getTrackingMode(), true);
      const ack = await client.setVar('ups1', 'battery.charge', '42');
      assert.ok(ack.trackingId !== null && ack.trackingId.length > 0);
      const result = await client.waitForTracking(ack.trackingId, { timeoutMs: 8000 });
      assert.equal(result, 'SUCCESS');
      assert.equal(await bed.waitForVariable('ups1', 'battery.charge', '42'), '42');
      assert.equal(await client.getTracking('00000000-0000-0000-0000-000000000000'), 'UNKNOWN');
      await assert.rejects(client.setVar('ups1', 'no.such.var', '1'), NutVarNotSupportedError);
    } finally {
      await client.close();
    }
  });

  it('SET VAR without tracking answers plain OK', async () => {
    const client = await NutClient.connect(bed.connectOptions());
    try {
      await client.authenticate(bed.admin);
      assert.deepEqual(await client.setVar('ups1', 'ups.load', '33'), { trackingId: null });
      await bed.waitForVariable('ups1', 'ups.load', '33');
    } finally {
      await client.close();
    }
  });

  it('INSTCMD: dummy-ups accepts it, and tracking reports its real outcome', async () => {
    const client = await NutClient.connect(bed.connectOptions());
    try {
      await client.authenticate(bed.admin);
      const commands = await client.listCommands('ups1');
      await client.setTracking(true);
      await assert.rejects(client.instCmd('ups1', 'no.such.command'), NutCmdNotSupportedError);
      const command = commands[0];
      assert.ok(command !== undefined, `dummy-ups lists at least one command (${commands.join(',')})`);
      const ack = await client.instCmd('ups1', command);
      assert.ok(ack.trackingId !== null);
      const result = await client.waitForTracking(ack.trackingId, { timeoutMs: 8000 });
      // dummy-ups 2.8.0 implements no instant command: the driver answers "unknown".
      assert.equal(result, 'UNKNOWN');
    } finally {
      await client.close();
    }
  });

  it('GET TRACKING <id> with tracking off is FEATURE-NOT-CONFIGURED', async () => {
    const client = await NutClient.connect(bed.connectOptions());
    try {
      await assert.rejects(client.getTracking('abc'), NutFeatureNotConfiguredError);
    } finally {
      await client.close();
    }
  });

  it('the monitoring user may not SET VAR or FSD', async () => {
    const client = await NutClient.connect(bed.connectOptions());
    try {
      await client.authenticate(bed.monitor);
      await assert.rejects(client.setVar('ups1', 'ups.load', '1'), NutAccessDeniedError);
      await assert.rejects(client.fsd('ups2'), NutAccessDeniedError);
    } finally {
      await client.close();
    }
  });

  it('LOGIN, PRIMARY, NUMLOGINS, LIST CLIENT, then FSD latches in ups.status', async () => {
    const primary = await NutClient.connect(bed.connectOptions());
    const observer = await NutClient.connect(bed.connectOptions());
    try {
      await primary.authenticate(bed.admin);
      await primary.login('ups2');
      await assert.rejects(primary.login('ups2'), NutAlreadyLoggedInError);
      assert.equal(await primary.primary('ups2'), 'PRIMARY');
      assert.equal(await observer.getNumLogins('ups2'), 1);
      assert.deepEqual(await observer.listClients('ups2'), ['127.0.0.1']);
      await primary.fsd('ups2');
      const status = parseUpsStatus(await observer.getVar('ups2', 'ups.status'));
      assert.equal(status.forcedShutdown, true);
      assert.equal(status.onLine, true);
    } finally {
      await primary.close();
      await observer.close();
    }
  });
});

describe('two upsd instances at once', () => {
  it('serve independent UPS states on different ports', async (t) => {
    const [a, b] = await Promise.all([NutTestbed.start({ upses: 1 }, t), NutTestbed.start({ upses: 1 }, t)]);
    assert.notEqual(a.port, b.port);
    a.setStatus('ups1', 'OB');
    await a.waitForVariable('ups1', 'ups.status', 'OB');
    const [clientA, clientB] = await Promise.all([
      NutClient.connect(a.connectOptions()),
      NutClient.connect(b.connectOptions()),
    ]);
    try {
      assert.equal(await clientA.getVar('ups1', 'ups.status'), 'OB');
      assert.equal(await clientB.getVar('ups1', 'ups.status'), 'OL');
    } finally {
      await Promise.all([clientA.close(), clientB.close()]);
    }
  });
});

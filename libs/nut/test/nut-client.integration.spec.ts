import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { NutTestbed } from '@nutfleet/testing';
import {
  NutAccessDeniedError,
  NutClient,
  NutUnknownUpsError,
  NutVarNotSupportedError,
  parseUpsSnapshot,
  testNutConnection,
} from '../src';

describe('NutClient against a real upsd + dummy-ups', () => {
  let bed: NutTestbed;
  before(async () => {
    bed = await NutTestbed.start({ upses: [{ name: 'ups1', description: 'First "quoted" # UPS' }, { name: 'ups2' }] });
  });
  after(() => bed.stop());

  it('reads versions, lists and single values', async () => {
    const client = await NutClient.connect(bed.connectOptions());
    try {
      assert.match(await client.ver(), /upsd 2\.8/);
      assert.equal(await client.protocolVersion(), '1.3');
      assert.equal(await client.netVer(), '1.3');
      assert.deepEqual(await client.listUps(), [
        { name: 'ups1', description: 'First "quoted" # UPS' },
        { name: 'ups2', description: 'Test UPS ups2' },
      ]);
      const vars = await client.listVars('ups1');
      assert.equal(vars['ups.status'], 'OL');
      assert.equal(vars['battery.charge'], '100');
      const snapshot = parseUpsSnapshot(vars);
      assert.equal(snapshot.batteryCharge, 100);
      assert.equal(snapshot.inputVoltage, 230);
      assert.equal(snapshot.status?.onLine, true);
      assert.equal(await client.getVar('ups1', 'battery.runtime'), '1800');
      assert.equal(await client.getVar('UPS1', 'battery.runtime'), '1800', 'UPS names are case-insensitive');
      assert.equal(await client.getUpsDesc('ups1'), 'First "quoted" # UPS');
      const type = await client.getType('ups1', 'battery.charge');
      assert.equal(type.rw, true);
      assert.equal(typeof (await client.getDesc('ups1', 'battery.charge')), 'string');
      assert.equal(await client.getNumLogins('ups1'), 0);
      const rw = await client.listRw('ups1');
      assert.equal(rw['ups.status'], 'OL');
      const commands = await client.listCommands('ups1');
      assert.ok(Array.isArray(commands));
      assert.deepEqual(await client.listEnum('ups1', 'ups.status'), []);
      assert.deepEqual(await client.listRange('ups1', 'battery.charge'), []);
      assert.deepEqual(await client.listClients('ups1'), []);
    } finally {
      await client.close();
    }
  });

  it('answers a pipelined round in order, an unknown UPS failing alone', async () => {
    const client = await NutClient.connect(bed.connectOptions());
    try {
      const replies = await client.listVarsOfEach(['ups1', 'nosuchups', 'ups2']);
      assert.deepEqual(
        replies.map((r) => [r.ups, r.ok]),
        [
          ['ups1', true],
          ['nosuchups', false],
          ['ups2', true],
        ],
      );
      const [first, unknown, second] = replies;
      assert.ok(first?.ok === true && second?.ok === true && unknown?.ok === false);
      assert.equal(first.variables['ups.status'], 'OL');
      assert.equal(second.variables['ups.status'], 'OL');
      assert.ok(unknown.error instanceof NutUnknownUpsError);
      assert.equal(await client.getVar('ups2', 'battery.charge'), '100', 'the stream is still in step');
    } finally {
      await client.close();
    }
  });

  it('maps server errors to typed classes', async () => {
    const client = await NutClient.connect(bed.connectOptions());
    try {
      await assert.rejects(client.listVars('nosuchups'), (error: unknown) => {
        assert.ok(error instanceof NutUnknownUpsError);
        assert.equal(error.code, 'UNKNOWN-UPS');
        assert.equal(error.server, `127.0.0.1:${bed.port}`);
        assert.match(error.message, /LIST VAR "nosuchups"/);
        return true;
      });
      await assert.rejects(client.getVar('ups1', 'no.such.var'), NutVarNotSupportedError);
      // The connection survives an ERR reply.
      assert.equal(await client.getVar('ups1', 'ups.status'), 'OL');
    } finally {
      await client.close();
    }
  });

  it('reports a wrong password as ACCESS-DENIED at LOGIN, without leaking the password', async () => {
    const client = await NutClient.connect(bed.connectOptions());
    try {
      await client.authenticate({ username: bed.monitor.username, password: 'wrong-secret' });
      await assert.rejects(client.login('ups1'), (error: unknown) => {
        assert.ok(error instanceof NutAccessDeniedError);
        assert.doesNotMatch(error.message, /wrong-secret/);
        return true;
      });
    } finally {
      await client.close();
    }
    await assert.rejects(
      testNutConnection({ ...bed.connectOptions(), credentials: { username: 'admin', password: 'nope' } }),
      NutAccessDeniedError,
    );
  });

  it('test connection logs in and lists UPSes', async () => {
    const result = await testNutConnection({ ...bed.connectOptions(), credentials: bed.monitor });
    assert.deepEqual(
      result.upses.map((ups) => ups.name),
      ['ups1', 'ups2'],
    );
    assert.equal(result.loggedInTo, 'ups1');
    assert.equal(result.protocolVersion, '1.3');
    assert.equal(result.tls, false);
  });

  it('observes OL -> OB -> OB LB -> OL', async () => {
    const client = await NutClient.connect(bed.connectOptions());
    try {
      const seen: string[] = [];
      for (const status of ['OB DISCHRG', 'OB LB', 'OL CHRG']) {
        bed.setVariables('ups2', { 'ups.status': status, 'battery.charge': status.includes('LB') ? '9' : '80' });
        const deadline = Date.now() + 8000;
        for (;;) {
          const snapshot = parseUpsSnapshot(await client.listVars('ups2', { timeoutMs: 1000 }));
          if (snapshot.status?.raw === status) {
            seen.push(status);
            if (status === 'OB LB') {
              assert.equal(snapshot.status.lowBattery, true);
              assert.equal(snapshot.batteryCharge, 9);
            }
            break;
          }
          assert.ok(Date.now() < deadline, `status ${status} not seen in time (last ${snapshot.status?.raw})`);
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      }
      assert.deepEqual(seen, ['OB DISCHRG', 'OB LB', 'OL CHRG']);
    } finally {
      await client.close();
    }
  });
});

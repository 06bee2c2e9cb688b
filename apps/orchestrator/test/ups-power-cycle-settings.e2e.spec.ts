/**
 * The per-UPS power-cycle settings (admin only), the NUT server's separate INSTCMD/SET account
 * (write-only, sealed, dropped when the server moves), and the "test" action against a real
 * upsd: one UPS served by NUT's clone driver (offers shutdown.return/stayoff), one by dummy-ups
 * (offers only load.off).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { NutTestbed } from '@nutfleet/testing';

import { type ApiTestApp, startApiTestApp } from './support/api-test-app';

interface PowerCycleView {
  action: string;
  offDelaySeconds: number | null;
  allowWithUnmanagedLoads: boolean;
  commandAccountReady: boolean;
}
interface TestView {
  ok: boolean;
  commands?: string[];
  supportedActions?: string[];
  missingCommands?: string[];
  requests?: { kind: string; command?: string; name?: string }[];
  skippedSettings?: { variable: string }[];
  accountVerified?: boolean;
  notes: string[];
  error?: { code: string; message: string };
}

describe('UPS power-cycle settings and test', () => {
  let api: ApiTestApp;
  let bed: NutTestbed;
  let serverId: string;
  let cycId: string;
  let plainId: string;

  before(async () => {
    [api, bed] = await Promise.all([
      startApiTestApp(),
      NutTestbed.start({ upses: [{ name: 'cyc', powerCycle: { offDelaySec: 30, onDelaySec: 5 } }, { name: 'plain' }] }),
    ]);
    const server = await api.call<{ id: string }>('POST', '/nut-servers', {
      body: { name: 'nut-cycle', host: '127.0.0.1', port: bed.port },
    });
    assert.equal(server.status, 201, server.text);
    serverId = server.body.id;
    const ids: string[] = [];
    for (const name of ['cyc', 'plain']) {
      const created = await api.call<{ id: string }>('POST', '/upses', { body: { name, nutServerId: serverId } });
      assert.equal(created.status, 201, created.text);
      ids.push(created.body.id);
    }
    [cycId = '', plainId = ''] = ids;
  });
  after(async () => {
    await api?.close();
    await bed?.stop();
  });

  test('the action is none by default; only an admin sets it; bad values are 400 naming the field', async () => {
    const initial = await api.call<PowerCycleView>('GET', `/upses/${cycId}/power-cycle`, { token: api.tokens.viewer });
    assert.equal(initial.status, 200);
    assert.equal(initial.body.action, 'none');
    assert.equal(initial.body.commandAccountReady, false);

    const body = { action: 'shutdown.return', offDelaySeconds: 20, onDelaySeconds: 60 };
    const byOperator = await api.call('PUT', `/upses/${cycId}/power-cycle`, { token: api.tokens.operator, body });
    assert.equal(byOperator.status, 403);
    const badAction = await api.call<{ fields?: { field: string }[] }>('PUT', `/upses/${cycId}/power-cycle`, {
      body: { action: 'load.off' },
    });
    assert.equal(badAction.status, 400);
    assert.match(badAction.text, /action/);
    const badDelays = await api.call<{ fields?: { field: string }[] }>('PUT', `/upses/${cycId}/power-cycle`, {
      body: { action: 'load.off.delay+load.on.delay', offDelaySeconds: 30, onDelaySeconds: 10 },
    });
    assert.equal(badDelays.status, 400, badDelays.text);
    assert.deepEqual(
      badDelays.body.fields?.map((f) => f.field),
      ['onDelaySeconds'],
    );
    const set = await api.call<PowerCycleView>('PUT', `/upses/${cycId}/power-cycle`, { body });
    assert.equal(set.status, 200, set.text);
    assert.equal(set.body.action, 'shutdown.return');
    assert.equal(set.body.offDelaySeconds, 20);
    const audit = await api.db.prisma.auditEntry.findFirst({
      where: { resourceId: cycId, action: 'upsPowerCycle.update' },
    });
    assert.ok(audit, 'the change is audited');
  });

  test('test without a command account: the UPS supports the action, the account is missing', async () => {
    const result = await api.call<TestView>('POST', `/upses/${cycId}/power-cycle/test`, { token: api.tokens.operator });
    assert.equal(result.status, 200, result.text);
    assert.equal(result.body.ok, false);
    assert.equal(result.body.error?.code, 'NO-COMMAND-ACCOUNT');
    assert.deepEqual(result.body.supportedActions, ['shutdown.return', 'shutdown.stayoff']);
    // clone has ups.delay.* read-only: nutfleet says the UPS keeps its own delays.
    assert.deepEqual(
      result.body.skippedSettings?.map((s) => s.variable),
      ['ups.delay.shutdown', 'ups.delay.start'],
    );
  });

  test('the command password is admin-only, write-only, and cleared when the server moves', async () => {
    const byOperator = await api.call('PATCH', `/nut-servers/${serverId}`, {
      token: api.tokens.operator,
      body: { commandUsername: 'operator', commandPassword: 'operpass' },
    });
    assert.equal(byOperator.status, 403);
    const set = await api.call<{ hasCommandPassword: boolean; commandUsername: string }>(
      'PATCH',
      `/nut-servers/${serverId}`,
      { body: { commandUsername: 'operator', commandPassword: 'operpass' } },
    );
    assert.equal(set.status, 200, set.text);
    assert.equal(set.body.hasCommandPassword, true);
    assert.ok(!set.text.includes('operpass'), 'never returned');
    const row = await api.db.prisma.nutServer.findUniqueOrThrow({ where: { id: serverId } });
    assert.ok(row.commandPasswordEnc !== null && !row.commandPasswordEnc.includes('operpass'), 'sealed at rest');

    const moved = await api.call<{ hasCommandPassword: boolean }>('PATCH', `/nut-servers/${serverId}`, {
      token: api.tokens.operator,
      body: { port: bed.port + 1 },
    });
    assert.equal(moved.status, 200, moved.text);
    assert.equal(moved.body.hasCommandPassword, false);
    const entry = await api.db.prisma.auditEntry.findFirst({
      where: { resourceId: serverId, action: 'nutServer.update' },
      orderBy: { at: 'desc' },
    });
    assert.equal((entry?.after as Record<string, unknown>).credentialChange_cmdpw, 'cleared: port changed');
    const back = await api.call('PATCH', `/nut-servers/${serverId}`, {
      body: { port: bed.port, commandPassword: 'operpass' },
    });
    assert.equal(back.status, 200, back.text);
  });

  test('test with the account: ok, what would be sent, and the instcmds note', async () => {
    const result = await api.call<TestView>('POST', `/upses/${cycId}/power-cycle/test`, { token: api.tokens.operator });
    assert.equal(result.body.ok, true, result.text);
    assert.equal(result.body.accountVerified, true);
    assert.deepEqual(result.body.requests, [{ kind: 'instcmd', command: 'shutdown.return' }]);
    assert.match(result.body.notes.join('\n'), /instcmds = shutdown\.return/);
    assert.equal(bed.hardware('cyc').commands.length, 0, 'the test never switches the UPS');
  });

  test('a UPS without the command: CMD-NOT-SUPPORTED naming what it offers', async () => {
    await api.call('PUT', `/upses/${plainId}/power-cycle`, { body: { action: 'shutdown.return' } });
    const result = await api.call<TestView>('POST', `/upses/${plainId}/power-cycle/test`, {
      token: api.tokens.operator,
    });
    assert.equal(result.body.ok, false);
    assert.equal(result.body.error?.code, 'CMD-NOT-SUPPORTED');
    assert.match(result.body.error?.message ?? '', /does not offer shutdown\.return \(it offers: load\.off\)/);
    assert.deepEqual(result.body.supportedActions, []);
  });

  test('an account upsd refuses: ACCESS-DENIED, never with the password', async () => {
    await api.call('PATCH', `/nut-servers/${serverId}`, {
      body: { commandUsername: bed.monitor.username, commandPassword: bed.monitor.password },
    });
    const result = await api.call<TestView>('POST', `/upses/${cycId}/power-cycle/test`, { token: api.tokens.operator });
    assert.equal(result.body.ok, false);
    assert.equal(result.body.error?.code, 'ACCESS-DENIED');
    assert.match(result.body.error?.message ?? '', /actions = SET/);
    assert.ok(!result.text.includes(bed.monitor.password));
  });
});

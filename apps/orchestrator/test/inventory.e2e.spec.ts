import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { type ApiTestApp, startApiTestApp } from './support/api-test-app';
import { fingerprint, PRIVATE_KEY_MARKER, SECRETS } from './support/fixtures';

interface Page<T> {
  items: T[];
  nextCursor: string | null;
}
interface ErrorBody {
  statusCode: number;
  error: string;
  message: string;
  fields?: { field: string; reason: string }[];
}
interface HostView {
  id: string;
  name: string;
  hasPassword: boolean;
  hasPrivateKey: boolean;
  trustState: string;
  group: string | null;
  tags: string[];
  macAddresses: string[];
  feeds: { upsId: string; ups: string; powerValue: number }[];
}

describe('inventory CRUD', () => {
  let t: ApiTestApp;
  let serverId: string;
  let upsA: string;
  let upsB: string;
  let groupId: string;
  let policyId: string;
  let hostId: string;

  before(async () => {
    t = await startApiTestApp();
  });
  after(async () => t?.close());

  test('NUT servers: create, read (password write-only), update, list, duplicate 409', async () => {
    const created = await t.call<{ id: string; hasPassword: boolean; password?: string }>('POST', '/nut-servers', {
      body: { name: 'nut-paris', host: '10.0.0.5', username: 'monuser', password: SECRETS.nutPassword, tlsMode: 'OFF' },
    });
    assert.equal(created.status, 201, created.text);
    serverId = created.body.id;
    assert.equal(created.body.hasPassword, true);
    assert.equal(created.body.password, undefined);
    const stored = await t.db.prisma.nutServer.findUniqueOrThrow({ where: { id: serverId } });
    assert.ok(stored.passwordEnc?.startsWith('v1:'));

    const dup = await t.call<ErrorBody>('POST', '/nut-servers', { body: { name: 'nut-paris', host: '10.0.0.6' } });
    assert.equal(dup.status, 409);
    assert.equal(dup.body.fields?.[0]?.field, 'name');
    const dupHost = await t.call<ErrorBody>('POST', '/nut-servers', { body: { name: 'other', host: '10.0.0.5' } });
    assert.equal(dupHost.status, 409);
    assert.equal(dupHost.body.fields?.[0]?.field, 'host');

    const upd = await t.call<{ port: number; tlsFingerprint: string }>('PATCH', `/nut-servers/${serverId}`, {
      body: { port: 3494, tlsMode: 'REQUIRED', tlsFingerprint: 'ab'.repeat(32) },
    });
    assert.equal(upd.status, 200, upd.text);
    assert.equal(upd.body.port, 3494);
    assert.match(upd.body.tlsFingerprint, /^AB:AB:/);
    const list = await t.call<Page<{ name: string }>>('GET', '/nut-servers?limit=10', { token: t.tokens.viewer });
    assert.deepEqual(
      list.body.items.map((s) => s.name),
      ['nut-paris'],
    );

    const bad = await t.call<ErrorBody>('POST', '/nut-servers', {
      body: { name: 'x', host: 'bad host', port: 70000, tlsMode: 'maybe' },
    });
    assert.equal(bad.status, 400);
    assert.deepEqual(bad.body.fields?.map((f) => f.field).sort(), ['host', 'port', 'tlsMode']);
  });

  test('UPSes: name@server, unknown server 422, duplicate 409', async () => {
    const a = await t.call<{ id: string; address: string }>('POST', '/upses', {
      body: { name: 'ups1', nutServerId: serverId },
    });
    assert.equal(a.status, 201, a.text);
    assert.equal(a.body.address, 'ups1@nut-paris');
    upsA = a.body.id;
    upsB = (
      await t.call<{ id: string }>('POST', '/upses', {
        body: { name: 'ups2', nutServerId: serverId, description: 'B side' },
      })
    ).body.id;
    assert.equal((await t.call('POST', '/upses', { body: { name: 'ups1', nutServerId: serverId } })).status, 409);
    const missing = await t.call<ErrorBody>('POST', '/upses', {
      body: { name: 'ups3', nutServerId: '00000000-0000-4000-8000-000000000000' },
    });
    assert.equal(missing.status, 422);
    assert.equal(missing.body.fields?.[0]?.field, 'nutServerId');
    const list = await t.call<Page<{ name: string }>>('GET', `/upses?nutServerId=${serverId}`);
    assert.equal(list.body.items.length, 2);
  });

  test('policies: every column, ranges checked', async () => {
    const p = await t.call<{ id: string; chargeBelowPercent: number; vmFallbackAction: string }>('POST', '/policies', {
      body: {
        name: 'branch',
        triggerCombination: 'ALL',
        onLowBattery: true,
        onForcedShutdown: false,
        onBatterySeconds: 120,
        runtimeBelowSeconds: 300,
        chargeBelowPercent: 30,
        deadtimeSeconds: 20,
        flapGuardSeconds: 3,
        vmGuestShutdownTimeoutSecs: 90,
        vmFallbackAction: 'SUSPEND',
        pointOfNoReturnSeconds: 45,
        restartStableSeconds: 120,
        restartMinChargePercent: 60,
      },
    });
    assert.equal(p.status, 201, p.text);
    policyId = p.body.id;
    assert.equal(p.body.vmFallbackAction, 'SUSPEND');
    const bad = await t.call<ErrorBody>('POST', '/policies', {
      body: { name: 'bad', chargeBelowPercent: 101, deadtimeSeconds: 0, onLowBattery: 'yes', flapGuardSeconds: 1.5 },
    });
    assert.equal(bad.status, 400);
    assert.deepEqual(bad.body.fields?.map((f) => f.field).sort(), [
      'chargeBelowPercent',
      'deadtimeSeconds',
      'flapGuardSeconds',
      'onLowBattery',
    ]);
    assert.match(bad.body.message, /chargeBelowPercent: must be an integer from 0 to 100/);
    const upd = await t.call<{ onBatterySeconds: null }>('PATCH', `/policies/${policyId}`, {
      body: { onBatterySeconds: null },
    });
    assert.equal(upd.status, 200);
    assert.equal(upd.body.onBatterySeconds, null);
  });

  test('groups: create with policy, unknown policy 422', async () => {
    const g = await t.call<{ id: string; policyId: string }>('POST', '/groups', { body: { name: 'lyon', policyId } });
    assert.equal(g.status, 201, g.text);
    groupId = g.body.id;
    const bad = await t.call<ErrorBody>('POST', '/groups', {
      body: { name: 'x', policyId: '00000000-0000-4000-8000-000000000000' },
    });
    assert.equal(bad.status, 422);
  });

  test('hosts: create with credentials, feeds, group; credentials never returned', async () => {
    const created = await t.call<HostView>('POST', '/hosts', {
      body: {
        name: 'esx-01',
        address: '10.1.0.11',
        password: SECRETS.hostPassword,
        privateKey: SECRETS.privateKey,
        hostKeyFingerprint: fingerprint(1),
        macAddresses: ['00-50-56-AA-BB-01'],
        wolBroadcast: '10.1.0.255',
        groupId,
        policyId,
        tags: ['lab', 'rack:3'],
        shutdownStage: 2,
        restartWave: 1,
        minSupplies: 2,
        feeds: [
          { upsId: upsA, powerValue: 1 },
          { upsId: upsB, powerValue: 1 },
        ],
      },
    });
    assert.equal(created.status, 201, created.text);
    hostId = created.body.id;
    assert.equal(created.body.hasPassword, true);
    assert.equal(created.body.hasPrivateKey, true);
    assert.equal(created.body.trustState, 'TRUSTED');
    assert.equal(created.body.group, 'lyon');
    assert.deepEqual(created.body.macAddresses, ['00:50:56:aa:bb:01']);
    assert.deepEqual(
      created.body.feeds.map((f) => f.ups),
      ['ups1@nut-paris', 'ups2@nut-paris'],
    );
    assert.ok(!created.text.includes(SECRETS.hostPassword) && !created.text.includes(PRIVATE_KEY_MARKER));

    const second = await t.call<HostView>('POST', '/hosts', {
      body: { name: 'esx-02', address: 'esx-02.lab.example', tags: ['prod'], feeds: [{ upsId: upsA }] },
    });
    assert.equal(second.status, 201, second.text);
    assert.equal(second.body.trustState, 'UNTRUSTED');
    assert.equal((await t.call('POST', '/hosts', { body: { name: 'esx-03', address: '10.1.0.13' } })).status, 201);

    const dup = await t.call<ErrorBody>('POST', '/hosts', { body: { name: 'esx-01', address: '10.1.0.99' } });
    assert.equal(dup.status, 409);
    assert.deepEqual(dup.body.fields, [{ field: 'name', reason: 'a host named "esx-01" already exists' }]);

    const refs = await t.call<ErrorBody>('POST', '/hosts', {
      body: {
        name: 'esx-09',
        address: '10.1.0.19',
        groupId: '00000000-0000-4000-8000-000000000000',
        feeds: [{ upsId: upsA }, { upsId: upsA }],
      },
    });
    assert.equal(refs.status, 422);
    assert.deepEqual(
      refs.body.fields?.map((f) => f.field),
      ['groupId', 'feeds[1].upsId'],
    );
    assert.equal(await t.db.prisma.host.count({ where: { name: 'esx-09' } }), 0, 'nothing half-written');

    const bad = await t.call<ErrorBody>('POST', '/hosts', {
      body: {
        name: 'esx 1',
        address: '10.1.0.300',
        sshPort: 0,
        macAddresses: ['nope'],
        tags: ['ok', ''],
        feeds: [{ upsId: 'x', powerValue: 0 }],
        password: 5,
      },
    });
    assert.equal(bad.status, 400);
    assert.deepEqual(bad.body.fields?.map((f) => f.field).sort(), [
      'address',
      'feeds[0].powerValue',
      'feeds[0].upsId',
      'macAddresses',
      'name',
      'password',
      'sshPort',
      'tags',
    ]);
  });

  test('hosts: list, filters, cursor pages, sort by name', async () => {
    const all = await t.call<Page<HostView>>('GET', '/hosts', { token: t.tokens.viewer });
    assert.equal(all.status, 200);
    assert.deepEqual(
      all.body.items.map((h) => h.name),
      ['esx-01', 'esx-02', 'esx-03'],
    );
    const names = async (q: string): Promise<string[]> =>
      (await t.call<Page<HostView>>('GET', `/hosts?${q}`)).body.items.map((h) => h.name);
    assert.deepEqual(await names('group=lyon'), ['esx-01']);
    assert.deepEqual(await names(`groupId=${groupId}`), ['esx-01']);
    assert.deepEqual(await names('tag=prod'), ['esx-02']);
    assert.deepEqual(await names('stage=2'), ['esx-01']);
    assert.deepEqual(await names('wave=0'), ['esx-02', 'esx-03']);
    assert.deepEqual(await names('ups=ups1@nut-paris'), ['esx-01', 'esx-02']);
    assert.deepEqual(await names(`upsId=${upsB}`), ['esx-01']);
    assert.deepEqual(await names('ups=nope@nut-paris'), []);
    assert.deepEqual(await names('trustState=UNTRUSTED'), ['esx-02', 'esx-03']);
    assert.deepEqual(await names('q=LAB.EXAMPLE'), ['esx-02']);
    assert.deepEqual(await names('q=10.1.0.1'), ['esx-01', 'esx-03']);
    assert.deepEqual(await names('hasError=false&tag=lab'), ['esx-01']);

    const p1 = await t.call<Page<HostView>>('GET', '/hosts?limit=2');
    assert.deepEqual(
      p1.body.items.map((h) => h.name),
      ['esx-01', 'esx-02'],
    );
    assert.ok(p1.body.nextCursor);
    const p2 = await t.call<Page<HostView>>('GET', `/hosts?limit=2&cursor=${p1.body.nextCursor}`);
    assert.deepEqual(
      p2.body.items.map((h) => h.name),
      ['esx-03'],
    );
    assert.equal(p2.body.nextCursor, null);

    for (const q of [
      'limit=0',
      'limit=501',
      'limit=abc',
      'stage=-1',
      'trustState=x',
      'cursor=zzz',
      'hasError=maybe',
      'ups=noat',
      'unknown=1',
    ]) {
      const r = await t.call<ErrorBody>('GET', `/hosts?${q}`);
      assert.equal(r.status, 400, `${q}: ${r.text}`);
      assert.ok(r.body.fields && r.body.fields.length > 0, q);
    }
  });

  test('hosts: get, update, secrets cleared, fingerprint cleared untrusts, delete', async () => {
    const got = await t.call<HostView & { facts: unknown }>('GET', `/hosts/${hostId}`);
    assert.equal(got.status, 200);
    assert.equal(got.body.facts, null);
    const upd = await t.call<HostView>('PATCH', `/hosts/${hostId}`, {
      body: { password: null, hostKeyFingerprint: null, tags: ['lab'], feeds: [{ upsId: upsB, powerValue: 2 }] },
    });
    assert.equal(upd.status, 200, upd.text);
    assert.equal(upd.body.hasPassword, false);
    // The pinned key changed (to none): the private key, bound to it and not re-entered, goes too.
    assert.equal(upd.body.hasPrivateKey, false);
    assert.equal(upd.body.trustState, 'UNTRUSTED');
    const audit = await t.db.prisma.auditEntry.findFirst({
      where: { resourceId: hostId, action: 'host.update' },
      orderBy: { at: 'desc' },
    });
    assert.deepEqual(
      [
        (audit?.after as Record<string, unknown>).credentialChange_pw,
        (audit?.after as Record<string, unknown>).credentialChange_key,
      ],
      ['cleared', 'cleared: hostKeyFingerprint changed'],
    );
    assert.deepEqual(
      upd.body.feeds.map((f) => [f.ups, f.powerValue]),
      [['ups2@nut-paris', 2]],
    );
    assert.equal((await t.call('GET', '/hosts/not-a-uuid')).status, 400);
    assert.equal((await t.call('GET', '/hosts/00000000-0000-4000-8000-000000000000')).status, 404);
    assert.equal(
      (await t.call('PATCH', '/hosts/00000000-0000-4000-8000-000000000000', { body: { tags: [] } })).status,
      404,
    );
  });

  test('power feeds resource', async () => {
    const hosts = await t.call<Page<HostView>>('GET', '/hosts?q=esx-03');
    const h3 = hosts.body.items[0];
    assert.ok(h3);
    const f = await t.call<{ id: string; ups: string; host: string }>('POST', '/power-feeds', {
      body: { hostId: h3.id, upsId: upsA, powerValue: 1 },
    });
    assert.equal(f.status, 201, f.text);
    assert.equal(f.body.ups, 'ups1@nut-paris');
    assert.equal((await t.call('POST', '/power-feeds', { body: { hostId: h3.id, upsId: upsA } })).status, 409);
    const upd = await t.call<{ powerValue: number }>('PATCH', `/power-feeds/${f.body.id}`, { body: { powerValue: 3 } });
    assert.equal(upd.body.powerValue, 3);
    const list = await t.call<Page<unknown>>('GET', `/power-feeds?hostId=${h3.id}`);
    assert.equal(list.body.items.length, 1);
    assert.equal((await t.call('DELETE', `/power-feeds/${f.body.id}`)).status, 204);
    const ups = await t.call<ErrorBody>('DELETE', `/upses/${upsA}`);
    assert.equal(ups.status, 409, 'a UPS feeding hosts cannot be removed');
  });

  test('fleet summary', async () => {
    const s = await t.call<{
      totalHosts: number;
      byTrustState: Record<string, number>;
      byGroup: { group: string | null; hosts: number }[];
      byUps: { ups: string; hosts: number }[];
      hostsWithErrors: number;
    }>('GET', '/fleet/summary', { token: t.tokens.viewer });
    assert.equal(s.status, 200);
    assert.equal(s.body.totalHosts, 3);
    assert.deepEqual(s.body.byTrustState, { UNTRUSTED: 3, TRUSTED: 0, MISMATCH: 0 });
    assert.deepEqual(
      s.body.byGroup.map((g) => [g.group, g.hosts]),
      [
        [null, 2],
        ['lyon', 1],
      ],
    );
    assert.deepEqual(
      s.body.byUps.map((u) => [u.ups, u.hosts]),
      [
        ['ups1@nut-paris', 1],
        ['ups2@nut-paris', 1],
      ],
    );
    await t.db.prisma.host.updateMany({ where: { name: 'esx-03' }, data: { lastError: 'ssh: connection refused' } });
  });

  test('viewer cannot mutate; operator can', async () => {
    const v = await t.call<ErrorBody>('POST', '/groups', { token: t.tokens.viewer, body: { name: 'v' } });
    assert.equal(v.status, 403);
    assert.match(v.body.message, /needs the operator role/);
    assert.equal((await t.call('POST', '/groups', { token: t.tokens.operator, body: { name: 'op' } })).status, 201);
    assert.equal((await t.call('GET', '/audit', { token: t.tokens.operator })).status, 403);
  });

  test('audit: entries with before/after, actor, request id, and no secrets', async () => {
    const r = await t.call<
      Page<{ actor: string; action: string; resourceId: string; before: unknown; after: unknown; requestId: string }>
    >('GET', `/audit?resourceType=host&limit=500`, { headers: { 'x-request-id': 'req-audit-check' } });
    assert.equal(r.status, 200);
    const update = r.body.items.find((e) => e.action === 'host.update' && e.resourceId === hostId);
    assert.ok(update);
    assert.equal(update.actor, 'test-admin');
    assert.equal((update.before as HostView).hasPassword, true);
    assert.equal((update.after as HostView).hasPassword, false);
    assert.ok(update.requestId);
    const text = JSON.stringify(await t.db.prisma.auditEntry.findMany(), (_k, v: unknown) =>
      typeof v === 'bigint' ? v.toString() : v,
    );
    for (const secret of [SECRETS.hostPassword, SECRETS.nutPassword, PRIVATE_KEY_MARKER, 'passwordEnc', 'v1:'])
      assert.ok(!text.includes(secret), `audit log contains ${secret}`);
    const byActor = await t.call<Page<{ actor: string }>>('GET', '/audit?actor=test-operator');
    assert.ok(byActor.body.items.length >= 1 && byActor.body.items.every((e) => e.actor === 'test-operator'));
    const page = await t.call<Page<unknown>>('GET', '/audit?limit=2');
    const next = await t.call<Page<unknown>>('GET', `/audit?limit=2&cursor=${page.body.nextCursor}`);
    assert.equal(next.status, 200);
    assert.equal((await t.call('GET', '/audit?since=yesterday')).status, 400);
  });

  test('deletes', async () => {
    assert.equal((await t.call('DELETE', `/hosts/${hostId}`)).status, 204);
    assert.equal((await t.call('GET', `/hosts/${hostId}`)).status, 404);
    assert.equal((await t.call('DELETE', `/groups/${groupId}`)).status, 204);
    assert.equal((await t.call('DELETE', `/policies/${policyId}`)).status, 204);
    assert.equal((await t.call('DELETE', `/upses/${upsB}`)).status, 204);
    for (const body of t.responses)
      assert.ok(
        !body.includes(SECRETS.hostPassword) &&
          !body.includes(SECRETS.nutPassword) &&
          !body.includes(PRIVATE_KEY_MARKER),
      );
  });
});

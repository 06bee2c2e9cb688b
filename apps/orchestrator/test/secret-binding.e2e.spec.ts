import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';

import { type INestApplicationContext } from '@nestjs/common';

import { type EsxiFleet, type SimulatedHost, startEsxiFleet, waitFor } from '@nutfleet/testing';

import { createWorkerApp } from '../../worker/src/worker.app';
import { type ApiTestApp, startApiTestApp } from './support/api-test-app';
import { type RogueServer, startRogueNutServer, startRogueSshServer } from './support/rogue-servers';

interface HostView {
  id: string;
  address: string;
  sshPort: number;
  hasPassword: boolean;
  hasPrivateKey: boolean;
  trustState: string;
}
interface NutServerView {
  id: string;
  port: number;
  hasPassword: boolean;
  warnings: string[];
}
interface Run {
  state: string;
  failed: number;
  succeeded: number;
  errors: { error: string }[];
}

const PRIVATE_KEY = `-----BEGIN OPENSSH PRIVATE KEY-----\n${randomBytes(48).toString('base64')}\n-----END OPENSSH PRIVATE KEY-----\n`;

// An operator tries to aim the root and NUT passwords an admin stored at servers of their own.
// Real API, in-process worker running discovery over SSH, a power-monitor leader polling NUT:
// the canary passwords never reach the rogue listeners.
describe('secrets bound to their target', () => {
  let api: ApiTestApp;
  let worker: INestApplicationContext;
  let fleet: EsxiFleet;
  let sim: SimulatedHost;
  let rogueSsh: RogueServer & { fingerprint: string };
  let rogueNut: RogueServer;
  const rootCanary = `root-canary-${randomBytes(6).toString('hex')}`;
  const nutCanary = `nut-canary-${randomBytes(6).toString('hex')}`;

  async function audit(resourceId: string, action: string): Promise<Record<string, unknown>> {
    const entry = await api.db.prisma.auditEntry.findFirst({
      where: { resourceId, action },
      orderBy: { at: 'desc' },
    });
    assert.ok(entry, `no ${action} audit entry`);
    return entry.after as Record<string, unknown>;
  }

  async function discover(hostId: string): Promise<Run> {
    const queued = await api.call<{ runId: string }>('POST', `/hosts/${hostId}/discover`, {
      token: api.tokens.operator,
    });
    assert.equal(queued.status, 202, queued.text);
    let run: Run | undefined;
    await waitFor(
      'discovery to finish',
      async () => {
        run = (await api.call<Run>('GET', `/discovery-runs/${queued.body.runId}`)).body;
        return run.state === 'finished';
      },
      30_000,
      100,
    );
    assert.ok(run);
    return run;
  }

  before(async () => {
    [fleet, rogueSsh, rogueNut] = await Promise.all([
      startEsxiFleet({ hosts: 1, seed: 'secret-binding' }),
      startRogueSshServer(),
      startRogueNutServer(),
    ]);
    sim = fleet.host(0);
    api = await startApiTestApp({
      POWER_MONITOR_ENABLED: 'true',
      POWER_MONITOR_POLL_INTERVAL_MS: '300',
      POWER_MONITOR_INVENTORY_REFRESH_MS: '300',
    });
    worker = await createWorkerApp(api.config);
  });

  after(async () => {
    await worker?.close();
    await api?.close();
    await Promise.all([fleet?.stop(), rogueSsh?.close(), rogueNut?.close()]);
  });

  test('only admins store credentials or pin a host key; the operator is refused (403), nothing stored', async () => {
    for (const body of [
      { name: 'esx-op1', address: '10.0.0.9', password: rootCanary },
      { name: 'esx-op2', address: '10.0.0.9', privateKey: PRIVATE_KEY },
      { name: 'esx-op3', address: '10.0.0.9', hostKeyFingerprint: rogueSsh.fingerprint },
    ]) {
      const r = await api.call<{ message: string }>('POST', '/hosts', { token: api.tokens.operator, body });
      assert.equal(r.status, 403, r.text);
      assert.match(r.body.message, /needs the admin role/);
    }
    const nut = await api.call('POST', '/nut-servers', {
      token: api.tokens.operator,
      body: { name: 'nut-op', host: '10.0.0.5', username: 'mon', password: nutCanary },
    });
    assert.equal(nut.status, 403);
    const csv = `name,address,password\nesx-op4,10.0.0.9,${rootCanary}\n`;
    const imported = await api.call<{ message: string }>('POST', '/hosts/import', {
      token: api.tokens.operator,
      raw: { contentType: 'text/csv', data: csv },
    });
    assert.equal(imported.status, 403);
    assert.match(imported.body.message, /storing password .*rows 2/);
    assert.equal(await api.db.prisma.host.count({ where: { name: { startsWith: 'esx-op' } } }), 0);
    // Clearing is not storing: an operator may do that.
    assert.ok(!api.responses.some((r) => r.includes(rootCanary) || r.includes(nutCanary)));
  });

  test('an operator moving a host to a rogue SSH server clears its credentials; discovery sends the rogue nothing', async () => {
    const created = await api.call<HostView>('POST', '/hosts', {
      body: {
        name: 'esx-bound',
        address: '127.0.0.1',
        sshPort: sim.port,
        username: sim.username,
        password: rootCanary,
        privateKey: PRIVATE_KEY,
        hostKeyFingerprint: sim.fingerprint,
      },
    });
    assert.equal(created.status, 201, created.text);
    const hostId = created.body.id;
    // Pinning the rogue's key by hand: admins only.
    const pin = await api.call('PATCH', `/hosts/${hostId}`, {
      token: api.tokens.operator,
      body: { sshPort: rogueSsh.port, hostKeyFingerprint: rogueSsh.fingerprint },
    });
    assert.equal(pin.status, 403);
    const moved = await api.call<HostView>('PATCH', `/hosts/${hostId}`, {
      token: api.tokens.operator,
      body: { sshPort: rogueSsh.port },
    });
    assert.equal(moved.status, 200, moved.text);
    assert.deepEqual([moved.body.hasPassword, moved.body.hasPrivateKey], [false, false]);
    const row = await api.db.prisma.host.findUniqueOrThrow({ where: { id: hostId } });
    assert.deepEqual([row.passwordEnc, row.privateKeyEnc], [null, null]);
    const entry = await audit(hostId, 'host.update');
    assert.equal(entry.credentialChange_pw, 'cleared: sshPort changed');
    assert.equal(entry.credentialChange_key, 'cleared: sshPort changed');
    assert.equal(entry.hasPassword, false);

    // The operator fetches and accepts the rogue's key through the trust flow, then runs discovery.
    const fetched = await api.call<{ presentedFingerprint: string }>('POST', `/hosts/${hostId}/trust`, {
      token: api.tokens.operator,
    });
    assert.equal(fetched.status, 200, fetched.text);
    const accepted = await api.call('POST', `/hosts/${hostId}/trust/accept`, {
      token: api.tokens.operator,
      body: { fingerprint: fetched.body.presentedFingerprint },
    });
    assert.equal(accepted.status, 200, accepted.text);
    const run = await discover(hostId);
    assert.equal(run.failed, 1);
    assert.match(run.errors[0]?.error ?? '', /no password or private key is stored/);
    assert.deepEqual(rogueSsh.received, [], 'the rogue SSH server received no credential');

    // Back at the real host, an admin re-enters the password in the same request: kept.
    const back = await api.call<HostView>('PATCH', `/hosts/${hostId}`, {
      body: { sshPort: sim.port, hostKeyFingerprint: sim.fingerprint, password: sim.password },
    });
    assert.equal(back.status, 200, back.text);
    assert.deepEqual([back.body.hasPassword, back.body.hasPrivateKey], [true, false]);
    assert.equal((await audit(hostId, 'host.update')).credentialChange_pw, 'set');
    assert.equal((await discover(hostId)).succeeded, 1);
  });

  test('a host import updating a host by name to a new address clears the credentials it does not carry', async () => {
    const created = await api.call<HostView>('POST', '/hosts', {
      body: { name: 'esx-import', address: '10.9.0.1', password: rootCanary },
    });
    assert.equal(created.status, 201);
    const same = await api.call('POST', '/hosts/import', {
      token: api.tokens.operator,
      raw: { contentType: 'text/csv', data: 'name,address,tags\nesx-import,10.9.0.1,kept\n' },
    });
    assert.equal(same.status, 200, JSON.stringify(same.body));
    assert.equal((await api.call<HostView>('GET', `/hosts/${created.body.id}`)).body.hasPassword, true);
    const moved = await api.call('POST', '/hosts/import', {
      token: api.tokens.operator,
      raw: { contentType: 'text/csv', data: 'name,address,sshPort\nesx-import,127.0.0.1,2222\n' },
    });
    assert.equal(moved.status, 200, JSON.stringify(moved.body));
    const view = await api.call<HostView>('GET', `/hosts/${created.body.id}`);
    assert.deepEqual([view.body.address, view.body.hasPassword], ['127.0.0.1', false]);
    const entry = await audit(created.body.id, 'host.import.update');
    assert.equal(entry.credentialChange_pw, 'cleared: address, sshPort changed');
    // An admin's JSON import that moves it and re-enters the password keeps the new one.
    const admin = await api.call('POST', '/hosts/import', {
      body: [{ name: 'esx-import', address: '10.9.0.2', password: 'another-one' }],
    });
    assert.equal(admin.status, 200);
    assert.equal((await api.call<HostView>('GET', `/hosts/${created.body.id}`)).body.hasPassword, true);
  });

  test('an operator moving a NUT server to a rogue port clears its password; the monitor and the test send it nothing', async () => {
    const created = await api.call<NutServerView>('POST', '/nut-servers', {
      body: { name: 'nut-bound', host: '127.0.0.2', port: 1, username: 'monuser', password: nutCanary },
    });
    assert.equal(created.status, 201, created.text);
    const id = created.body.id;
    assert.match(created.body.warnings.join(' '), /sent to this server in clear text/, 'tlsMode OFF is flagged');
    const moved = await api.call<NutServerView>('PATCH', `/nut-servers/${id}`, {
      token: api.tokens.operator,
      body: { host: '127.0.0.1', port: rogueNut.port },
    });
    assert.equal(moved.status, 200, moved.text);
    assert.equal(moved.body.hasPassword, false);
    assert.deepEqual(moved.body.warnings, []);
    assert.equal((await audit(id, 'nutServer.update')).credentialChange_pw, 'cleared: host, port changed');
    await api.db.prisma.ups.create({ data: { name: 'ups1', nutServerId: id } });
    // The leader polls the rogue for a while; the operator runs the connection test too.
    await waitFor('the monitor to poll the rogue', async () => rogueNut.received.some((l) => l.startsWith('LIST VAR')));
    const tested = await api.call<{ ok: boolean; nutServer: boolean }>('POST', `/nut-servers/${id}/test`, {
      token: api.tokens.operator,
    });
    assert.equal(tested.status, 200);
    assert.deepEqual([tested.body.ok, tested.body.nutServer], [true, true]);
    await new Promise((r) => setTimeout(r, 1500));
    assert.ok(!rogueNut.received.some((l) => l.includes(nutCanary)), rogueNut.received.join('|'));
    assert.ok(!rogueNut.received.some((l) => l.startsWith('PASSWORD')));

    // A change of TLS settings clears it too, unless re-entered by an admin.
    const withPassword = await api.call<NutServerView>('PATCH', `/nut-servers/${id}`, {
      body: { password: nutCanary },
    });
    assert.equal(withPassword.body.hasPassword, true);
    const tls = await api.call<NutServerView>('PATCH', `/nut-servers/${id}`, {
      token: api.tokens.operator,
      body: { tlsMode: 'OPPORTUNISTIC' },
    });
    assert.equal(tls.body.hasPassword, false);
    assert.equal((await audit(id, 'nutServer.update')).credentialChange_pw, 'cleared: tlsMode changed');
  });

  test('the NUT password is never sent in clear to a server whose TLS policy is opportunistic or required', async () => {
    const previous = await api.db.prisma.nutServer.findFirstOrThrow({ where: { name: 'nut-bound' } });
    assert.equal((await api.call('DELETE', `/nut-servers/${previous.id}`)).status, 204);
    rogueNut.received.length = 0;
    const created = await api.call<NutServerView & { id: string }>('POST', '/nut-servers', {
      body: {
        name: 'nut-tls',
        host: '127.0.0.1',
        port: rogueNut.port,
        tlsMode: 'OPPORTUNISTIC',
        username: 'monuser',
        password: nutCanary,
      },
    });
    assert.equal(created.status, 201, created.text);
    assert.match(created.body.warnings.join(' '), /only sent once TLS is up/);
    await api.db.prisma.ups.create({ data: { name: 'ups1', nutServerId: created.body.id } });
    const tested = await api.call<{ ok: boolean; nutServer: boolean; error: { code: string; message: string } }>(
      'POST',
      `/nut-servers/${created.body.id}/test`,
      { token: api.tokens.operator },
    );
    assert.deepEqual([tested.body.ok, tested.body.nutServer, tested.body.error.code], [false, true, 'TLS']);
    assert.match(tested.body.error.message, /not sent in clear text/);
    await waitFor(
      'the monitor to report the withheld credentials',
      async () => {
        const status = await api.call<{ servers: { credentialError: string | null }[] }>(
          'GET',
          '/power-monitor/status',
        );
        return status.body.servers.some((s) => /credentials not checked/.test(s.credentialError ?? ''));
      },
      10_000,
      200,
    );
    assert.ok(
      rogueNut.received.some((l) => l === 'STARTTLS'),
      'STARTTLS was tried',
    );
    assert.ok(
      !rogueNut.received.some((l) => l.includes(nutCanary) || l.startsWith('PASSWORD')),
      rogueNut.received.join('|'),
    );
  });
});

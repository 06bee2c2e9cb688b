import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { type INestApplicationContext } from '@nestjs/common';

import { type EsxiFleet, freePort, startEsxiFleet, waitFor } from '@nutfleet/testing';

import { createWorkerApp } from '../../worker/src/worker.app';
import { type ApiTestApp, startApiTestApp } from './support/api-test-app';
import {
  type RogueServer,
  startRedisLikeListener,
  startRogueNutServer,
  startRogueSshServer,
  startSilentListener,
} from './support/rogue-servers';

interface Probe {
  status: number;
  ms: number;
  text: string;
}

/** What must never come back from a probe: another service's bytes. */
const FOREIGN = /REDIS-SECRET-BANNER|-ERR|SSH-2\.0|unknown command|Protocol|identification/i;

// The NUT connection test and the host-key scan, pointed by an operator at ports that are not
// what they claim: one generic answer, at one time, never the other service's reply.
describe('network probes do not map the network', () => {
  let t: ApiTestApp;
  let fleet: EsxiFleet;
  let redis: RogueServer;
  let silent: RogueServer;
  let nut: RogueServer;
  let ssh: RogueServer & { fingerprint: string };
  let closedPort = 0;

  before(async () => {
    [fleet, redis, silent, nut, ssh, closedPort] = await Promise.all([
      startEsxiFleet({ hosts: 1, seed: 'probes' }),
      startRedisLikeListener(),
      startSilentListener(),
      startRogueNutServer(),
      startRogueSshServer(),
      freePort(),
    ]);
    t = await startApiTestApp();
  });
  after(async () => {
    await t?.close();
    await Promise.all([fleet?.stop(), redis?.close(), silent?.close(), nut?.close(), ssh?.close()]);
  });

  async function timed(path: string): Promise<Probe> {
    const started = performance.now();
    const r = await t.call('POST', path, { token: t.tokens.operator });
    return { status: r.status, ms: performance.now() - started, text: r.text };
  }

  test('NUT test: closed, silent, Redis and SSH ports get one identical answer at one time; a NUT server is named', async (ctx) => {
    const targets = { closed: closedPort, silent: silent.port, redis: redis.port, ssh: ssh.port, nut: nut.port };
    const ids: Record<string, string> = {};
    for (const [name, port] of Object.entries(targets)) {
      const created = await t.call<{ id: string }>('POST', '/nut-servers', {
        token: t.tokens.operator,
        body: { name: `probe-${name}`, host: '127.0.0.1', port },
      });
      assert.equal(created.status, 201, created.text);
      ids[name] = created.body.id;
    }
    const results = Object.fromEntries(
      await Promise.all(
        Object.entries(ids).map(async ([name, id]) => [name, await timed(`/nut-servers/${id}/test`)] as const),
      ),
    );
    ctx.diagnostic(
      Object.entries(results)
        .map(([n, r]) => `${n} ${r.status} ${r.ms.toFixed(0)} ms`)
        .join(', '),
    );
    const reached = JSON.parse(results.nut?.text ?? '{}') as { ok: boolean; nutServer: boolean; upses: unknown[] };
    assert.deepEqual([reached.ok, reached.nutServer, reached.upses.length], [true, true, 1]);
    const generic = ['closed', 'silent', 'redis', 'ssh'].map((name) => results[name] as Probe);
    const bodies = generic.map((r) => r.text.replace(/127\.0\.0\.1:\d+/g, 'ADDR'));
    assert.equal(new Set(bodies).size, 1, bodies.join('\n'));
    assert.match(bodies[0] ?? '', /"code":"NO-NUT-SERVER"/);
    for (const r of generic) {
      assert.equal(r.status, 200);
      assert.doesNotMatch(r.text, FOREIGN);
    }
    const times = generic.map((r) => r.ms);
    assert.ok(Math.max(...times) - Math.min(...times) < 1000, `answer times ${times.join(', ')} ms`);
  });

  test('host-key scan: closed, silent, Redis and NUT ports get one identical 502 at one time; an SSH server answers', async (ctx) => {
    const sim = fleet.host(0);
    const targets = { closed: closedPort, silent: silent.port, redis: redis.port, nut: nut.port, sim: sim.port };
    const ids: Record<string, string> = {};
    for (const [name, port] of Object.entries(targets)) {
      const created = await t.call<{ id: string }>('POST', '/hosts', {
        token: t.tokens.operator,
        body: { name: `scan-${name}`, address: '127.0.0.1', sshPort: port },
      });
      assert.equal(created.status, 201, created.text);
      ids[name] = created.body.id;
    }
    const results = Object.fromEntries(
      await Promise.all(
        Object.entries(ids).map(async ([name, id]) => [name, await timed(`/hosts/${id}/trust`)] as const),
      ),
    );
    ctx.diagnostic(
      Object.entries(results)
        .map(([n, r]) => `${n} ${r.status} ${r.ms.toFixed(0)} ms`)
        .join(', '),
    );
    assert.equal(results.sim?.status, 200);
    assert.match(results.sim?.text ?? '', new RegExp(sim.fingerprint.replace(/[+/]/g, (c) => `\\${c}`)));
    const generic = ['closed', 'silent', 'redis', 'nut'].map((name) => results[name] as Probe);
    const bodies = generic.map((r) => r.text.replace(/scan-[a-z]+/g, 'NAME').replace(/127\.0\.0\.1:\d+/g, 'ADDR'));
    assert.equal(new Set(bodies).size, 1, bodies.join('\n'));
    assert.match(bodies[0] ?? '', /no SSH server answered/);
    for (const r of generic) {
      assert.equal(r.status, 502);
      assert.doesNotMatch(r.text, FOREIGN);
    }
    const times = generic.map((r) => r.ms);
    assert.ok(Math.max(...times) - Math.min(...times) < 1000, `answer times ${times.join(', ')} ms`);
  });
});

// ALLOWED_TARGET_NETWORKS=127.0.0.2/32: listeners on 127.0.0.2 may be used, anything on
// 127.0.0.1 (where the "Redis" listens) is refused on write and before every connection.
describe('ALLOWED_TARGET_NETWORKS', () => {
  let t: ApiTestApp;
  let worker: INestApplicationContext;
  let outside: RogueServer;
  let inside: RogueServer;

  before(async () => {
    [outside, inside] = await Promise.all([startRedisLikeListener('127.0.0.1'), startRogueNutServer('127.0.0.2')]);
    t = await startApiTestApp({
      ALLOWED_TARGET_NETWORKS: '127.0.0.2/32',
      POWER_MONITOR_ENABLED: 'true',
      POWER_MONITOR_POLL_INTERVAL_MS: '300',
      POWER_MONITOR_INVENTORY_REFRESH_MS: '300',
    });
    worker = await createWorkerApp(t.config);
  });
  after(async () => {
    await worker?.close();
    await t?.close();
    await Promise.all([outside?.close(), inside?.close()]);
  });

  test('create, update and import outside the allowed networks: 422 naming the field; inside: accepted', async () => {
    const ok = await t.call<{ id: string }>('POST', '/nut-servers', {
      body: { name: 'nut-in', host: '127.0.0.2', port: inside.port },
    });
    assert.equal(ok.status, 201, ok.text);
    await t.db.prisma.ups.create({ data: { name: 'ups1', nutServerId: ok.body.id } });
    for (const host of ['127.0.0.1', 'localhost', '10.0.0.1']) {
      const refused = await t.call<{ fields: { field: string; reason: string }[] }>('POST', '/nut-servers', {
        body: { name: `nut-${host}`, host, port: outside.port },
      });
      assert.equal(refused.status, 422, `${host}: ${refused.text}`);
      assert.equal(refused.body.fields[0]?.field, 'host');
      assert.match(refused.body.fields[0]?.reason ?? '', /outside ALLOWED_TARGET_NETWORKS \(127\.0\.0\.2\/32\)/);
    }
    const moved = await t.call('PATCH', `/nut-servers/${ok.body.id}`, { body: { host: '127.0.0.1' } });
    assert.equal(moved.status, 422);
    const host = await t.call<{ id: string }>('POST', '/hosts', { body: { name: 'esx-in', address: '127.0.0.2' } });
    assert.equal(host.status, 201);
    assert.equal((await t.call('POST', '/hosts', { body: { name: 'esx-out', address: '127.0.0.1' } })).status, 422);
    assert.equal((await t.call('PATCH', `/hosts/${host.body.id}`, { body: { address: '127.0.0.1' } })).status, 422);
    const imported = await t.call<{ errors: { row: number; field: string }[] }>('POST', '/hosts/import', {
      raw: { contentType: 'text/csv', data: 'name,address\nesx-a,127.0.0.2\nesx-b,127.0.0.1\n' },
    });
    assert.equal(imported.status, 422);
    assert.deepEqual(
      imported.body.errors.map((e) => `${e.row}:${e.field}`),
      ['3:address'],
    );
  });

  test('rows outside the networks (written before the list was set) are never contacted: test, key scan, monitor, worker', async () => {
    const server = await t.db.prisma.nutServer.create({
      data: { name: 'legacy', host: '127.0.0.1', port: outside.port, upses: { create: [{ name: 'ups1' }] } },
    });
    const tested = await t.call<{ ok: boolean; error: { code: string } }>('POST', `/nut-servers/${server.id}/test`, {
      token: t.tokens.operator,
    });
    assert.deepEqual([tested.body.ok, tested.body.error.code], [false, 'NOT-ALLOWED']);
    const host = await t.db.prisma.host.create({
      data: {
        name: 'legacy-host',
        address: '127.0.0.1',
        sshPort: outside.port,
        hostKeyFingerprint: 'SHA256:' + 'A'.repeat(43),
        trustState: 'TRUSTED',
        passwordEnc: null,
      },
    });
    const scan = await t.call<{ message: string }>('POST', `/hosts/${host.id}/trust`, { token: t.tokens.operator });
    assert.equal(scan.status, 422);
    assert.match(scan.body.message, /outside ALLOWED_TARGET_NETWORKS/);
    const queued = await t.call<{ runId: string }>('POST', `/hosts/${host.id}/discover`, {
      token: t.tokens.operator,
    });
    assert.equal(queued.status, 202);
    let error = '';
    await waitFor(
      'discovery to fail',
      async () => {
        const run = await t.call<{ state: string; errors: { error: string }[] }>(
          'GET',
          `/discovery-runs/${queued.body.runId}`,
        );
        error = run.body.errors[0]?.error ?? '';
        return run.body.state === 'finished';
      },
      20_000,
      100,
    );
    assert.match(error, /HostTargetNotAllowedError|is not contacted/);
    await waitFor(
      'the monitor to report the refused server',
      async () => {
        const status = await t.call<{ servers: { server: string; lastError: string | null }[] }>(
          'GET',
          '/power-monitor/status',
        );
        return status.body.servers.some((s) => /ALLOWED_TARGET_NETWORKS/.test(s.lastError ?? ''));
      },
      10_000,
      200,
    );
    await new Promise((r) => setTimeout(r, 1000));
    assert.deepEqual(outside.received, [], 'nothing reached the listener outside the allowed networks');
    assert.ok(
      inside.received.some((l) => l.startsWith('LIST VAR')),
      'the allowed server is polled',
    );
  });
});

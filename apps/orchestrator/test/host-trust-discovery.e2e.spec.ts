import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { type INestApplicationContext } from '@nestjs/common';

import {
  type HostProfile,
  nutUserVarDefinitions,
  type SimulatedHost,
  startEsxiFleet,
  waitFor,
} from '@nutfleet/testing';

import { createWorkerApp } from '../../worker/src/worker.app';
import { type ApiTestApp, startApiTestApp } from './support/api-test-app';
import { assertMatchesSimulator } from './support/sim-facts.assert';
import { insertSimHost } from './support/simulated-host-rows';

interface Queued {
  runId: string;
  total: number;
  statusUrl: string;
  alreadyPending: boolean;
}
interface Run {
  state: string;
  total: number;
  done: number;
  succeeded: number;
  failed: number;
  pending: number;
  errors: { hostId: string; hostName: string; error: string }[];
}

const NUT_PASSWORD = 'nut-Pa55-never-stored';
const VIB = { name: 'upsmon', version: '2.8.5-2.7.3', vendor: 'Margar', acceptanceLevel: 'community' } as const;

/** What upsmon-install would have done on a host with the VIB: create and set the UserVars. */
function configureNutClient(sim: SimulatedHost, index: number): void {
  for (const def of nutUserVarDefinitions(VIB.version)) sim.state.settings.create(def);
  sim.state.settings.setString('/UserVars/NutUpsName', `ups${index}@nut.example`);
  sim.state.settings.setInt('/UserVars/NutFinalDelay', 10 + (index % 50));
  sim.state.settings.setString('/UserVars/NutPassword', NUT_PASSWORD);
}

/** Varied hosts: three ESXi lines, with/without the VIB, maintenance mode, 0-4 VMs in all power states. */
function profileFor(i: number): HostProfile {
  const power = (['on', 'off', 'suspended'] as const)[i % 3];
  return {
    version: (['6.7', '7.0', '8.0'] as const)[i % 3],
    maintenanceMode: i % 7 === 0,
    acceptanceLevel: i % 2 === 0 ? 'CommunitySupported' : 'PartnerSupported',
    installedVibs: i % 2 === 0 ? [{ ...VIB }] : [],
    autostartDefaults: { enabled: i % 5 !== 0, startDelay: 30 + (i % 4), stopDelay: 60 },
    vms: Array.from({ length: i % 5 }, (_, v) => ({
      name: `vm${i}-${v}`,
      guestOs: v % 2 ? 'windows2019srv_64Guest' : 'debian11_64Guest',
      power: v === 0 ? power : 'on',
      tools: v !== 1,
      ...(v < 2
        ? { autostart: { startOrder: v + 1, startAction: 'powerOn' as const, stopAction: 'guestShutdown' as const } }
        : {}),
    })),
  };
}

describe('host trust and discovery (orchestrator API + in-process worker + simulated ESXi)', () => {
  let api: ApiTestApp;
  let worker: INestApplicationContext;

  async function waitRun(runId: string, timeoutMs = 30_000): Promise<Run> {
    let run: Run | undefined;
    await waitFor(
      `discovery run ${runId} to finish`,
      async () => {
        const res = await api.call<Run>('GET', `/discovery-runs/${runId}`, { token: api.tokens.viewer });
        assert.equal(res.status, 200, res.text);
        run = res.body;
        return run.state === 'finished';
      },
      timeoutMs,
      100,
    );
    assert.ok(run);
    return run;
  }

  async function discover(hostId: string): Promise<Run> {
    const res = await api.call<Queued>('POST', `/hosts/${hostId}/discover`, { token: api.tokens.operator });
    assert.equal(res.status, 202, res.text);
    assert.equal(res.headers.get('location'), res.body.statusUrl);
    return waitRun(res.body.runId);
  }

  before(async () => {
    api = await startApiTestApp({ WORKER_CONCURRENCY: '32' });
    worker = await createWorkerApp(api.config);
  });

  after(async () => {
    await worker?.close();
    // No response of the whole suite may carry a host password or the NUT password.
    const leaked = api?.responses.filter((body) => body.includes(NUT_PASSWORD) || /Esx-[A-Za-z0-9_-]{12}/.test(body));
    await api?.close();
    assert.deepEqual(leaked, [], 'a secret appeared in an API response');
  });

  describe('trust', () => {
    let fleet: Awaited<ReturnType<typeof startEsxiFleet>>;
    let sim: SimulatedHost;
    let hostId: string;

    before(async () => {
      fleet = await startEsxiFleet({ hosts: [{ installedVibs: [{ ...VIB }] }] });
      sim = fleet.host(0);
      configureNutClient(sim, 0);
      hostId = await insertSimHost(api.db.prisma, api.config.secretKey, sim);
    });
    after(() => fleet?.stop());

    test('an untrusted host is never contacted by discovery', async () => {
      const run = await discover(hostId);
      assert.equal(run.failed, 1);
      assert.match(run.errors[0]?.error ?? '', /HostNotTrustedError.*no trusted host key yet.*\/trust/);
      assert.equal(sim.commandLog.length, 0, 'no command reached the host');
    });

    test('POST /hosts/:id/trust returns the presented key without trusting it or running anything', async () => {
      const denied = await api.call('POST', `/hosts/${hostId}/trust`, { token: api.tokens.viewer });
      assert.equal(denied.status, 403);
      const res = await api.call<{ presentedFingerprint: string; trustState: string; matchesPinned: boolean }>(
        'POST',
        `/hosts/${hostId}/trust`,
        { token: api.tokens.operator },
      );
      assert.equal(res.status, 200, res.text);
      assert.equal(res.body.presentedFingerprint, sim.fingerprint);
      assert.equal(res.body.trustState, 'UNTRUSTED');
      assert.equal(res.body.matchesPinned, false);
      const row = await api.db.prisma.host.findUniqueOrThrow({ where: { id: hostId } });
      assert.equal(row.trustState, 'UNTRUSTED');
      assert.equal(row.hostKeyFingerprint, null);
      assert.equal(row.presentedHostKeyFingerprint, sim.fingerprint);
      assert.equal(sim.commandLog.length, 0, 'a key fetch runs no command');
    });

    test('accept refuses a malformed or a different fingerprint, and trusts the presented one', async () => {
      const malformed = await api.call('POST', `/hosts/${hostId}/trust/accept`, {
        token: api.tokens.operator,
        body: { fingerprint: 'not-a-fingerprint' },
      });
      assert.equal(malformed.status, 400, malformed.text);
      assert.match(malformed.text, /fingerprint/);
      const missing = await api.call('POST', `/hosts/${hostId}/trust/accept`, { token: api.tokens.operator, body: {} });
      assert.equal(missing.status, 400, missing.text);

      const other = fleet.host(0).originalHostKey.fingerprint.replace(/^SHA256:./, 'SHA256:A');
      const wrong = await api.call('POST', `/hosts/${hostId}/trust/accept`, {
        token: api.tokens.operator,
        body: { fingerprint: other === sim.fingerprint ? sim.fingerprint.replace(/^SHA256:./, 'SHA256:B') : other },
      });
      assert.equal(wrong.status, 409, wrong.text);
      assert.equal((await api.db.prisma.host.findUniqueOrThrow({ where: { id: hostId } })).trustState, 'UNTRUSTED');

      const ok = await api.call<{ trustState: string; fingerprint: string }>('POST', `/hosts/${hostId}/trust/accept`, {
        token: api.tokens.operator,
        body: { fingerprint: sim.fingerprint.replace(/^SHA256:/, '') },
      });
      assert.equal(ok.status, 200, ok.text);
      assert.equal(ok.body.fingerprint, sim.fingerprint);
      const row = await api.db.prisma.host.findUniqueOrThrow({ where: { id: hostId } });
      assert.equal(row.trustState, 'TRUSTED');
      assert.equal(row.hostKeyFingerprint, sim.fingerprint);
      const audit = await api.db.prisma.auditEntry.findFirst({
        where: { action: 'host.trust.accept', resourceId: hostId },
      });
      assert.equal(audit?.actor, 'test-operator');
    });

    test('discovery of one host records its facts, field by field as the simulator holds them', async () => {
      const run = await discover(hostId);
      assert.deepEqual(
        { total: run.total, succeeded: run.succeeded, failed: run.failed },
        { total: 1, succeeded: 1, failed: 0 },
      );
      const row = await api.db.prisma.host.findUniqueOrThrow({ where: { id: hostId } });
      const facts = assertMatchesSimulator(row, sim);
      assert.equal(facts.vms.length, 3);
      const upsName = facts.nutUserVars?.NutUpsName;
      assert.equal(upsName && 'value' in upsName && upsName.value, 'ups0@nut.example');
      assert.doesNotMatch(JSON.stringify(row.facts), new RegExp(NUT_PASSWORD));
    });

    test('a changed host key blocks the host (MISMATCH, event), discovery stays refused until re-trusted', async () => {
      // A reinstalled host: new key, and it went down (the worker's warm connection died with it).
      fleet.injectFault(0, { kind: 'host-key-changed' });
      await sim.cutPower();
      sim.receiveMagicPacket();
      await waitFor('the host to boot again', async () => sim.power === 'on', 10_000, 50);
      const oldKey = sim.originalHostKey.fingerprint;
      const newKey = sim.fingerprint;
      assert.notEqual(newKey, oldKey);

      const run = await discover(hostId);
      assert.equal(run.failed, 1);
      assert.match(run.errors[0]?.error ?? '', /HostKeyMismatchError/);
      let row = await api.db.prisma.host.findUniqueOrThrow({ where: { id: hostId } });
      assert.equal(row.trustState, 'MISMATCH');
      assert.match(row.lastError ?? '', /does not match the pinned one/);
      const events = await api.call<{ type: string; data: { expected: string; presented: string } }[]>(
        'GET',
        `/hosts/${hostId}/events`,
        { token: api.tokens.viewer },
      );
      assert.equal(events.status, 200, events.text);
      const mismatch = events.body.find((e) => e.type === 'HOST_KEY_MISMATCH');
      assert.deepEqual(mismatch?.data.expected, oldKey);
      assert.deepEqual(mismatch?.data.presented, newKey);

      const commandsBefore = sim.commandLog.length;
      const refused = await discover(hostId);
      assert.match(refused.errors[0]?.error ?? '', /HostNotTrustedError.*is blocked/);
      assert.equal(sim.commandLog.length, commandsBefore, 'a blocked host gets no command');

      // Accepting the old key is refused: it is not what the host presents.
      const stale = await api.call('POST', `/hosts/${hostId}/trust/accept`, {
        token: api.tokens.operator,
        body: { fingerprint: oldKey },
      });
      assert.equal(stale.status, 409, stale.text);

      const fetched = await api.call<{ presentedFingerprint: string; matchesPinned: boolean; trustState: string }>(
        'POST',
        `/hosts/${hostId}/trust`,
        { token: api.tokens.operator },
      );
      assert.deepEqual(
        {
          presented: fetched.body.presentedFingerprint,
          matches: fetched.body.matchesPinned,
          state: fetched.body.trustState,
        },
        { presented: newKey, matches: false, state: 'MISMATCH' },
      );
      const accepted = await api.call('POST', `/hosts/${hostId}/trust/accept`, {
        token: api.tokens.operator,
        body: { fingerprint: newKey },
      });
      assert.equal(accepted.status, 200, accepted.text);
      row = await api.db.prisma.host.findUniqueOrThrow({ where: { id: hostId } });
      assert.deepEqual({ state: row.trustState, error: row.lastError }, { state: 'TRUSTED', error: null });

      const again = await discover(hostId);
      assert.equal(again.succeeded, 1, JSON.stringify(again.errors));
    });

    test('wrong credentials: a typed error in lastError, and the worker keeps serving', async () => {
      const badId = await insertSimHost(api.db.prisma, api.config.secretKey, sim, { trusted: true, password: 'wrong' });
      const run = await discover(badId);
      assert.equal(run.failed, 1);
      const row = await api.db.prisma.host.findUniqueOrThrow({ where: { id: badId } });
      assert.match(row.lastError ?? '', /AuthenticationError.*refused: check the user name and credentials/);
      assert.equal(row.trustState, 'TRUSTED', 'an auth failure is not a trust problem');
      assert.equal((await discover(hostId)).succeeded, 1, 'other hosts are still discovered');
    });

    test('unknown ids and bad input are 4xx', async () => {
      assert.equal((await api.call('POST', '/hosts/not-a-uuid/discover', { token: api.tokens.operator })).status, 400);
      const ghost = '00000000-0000-4000-8000-000000000000';
      assert.equal((await api.call('POST', `/hosts/${ghost}/discover`, { token: api.tokens.operator })).status, 404);
      assert.equal((await api.call('POST', `/hosts/${ghost}/trust`, { token: api.tokens.operator })).status, 404);
      assert.equal((await api.call('GET', `/discovery-runs/${ghost}`, { token: api.tokens.viewer })).status, 404);
      const badFilter = await api.call('POST', '/hosts/discover', { token: api.tokens.operator, body: { tags: 'x' } });
      assert.equal(badFilter.status, 400, badFilter.text);
      const none = await api.call('POST', '/hosts/discover', {
        token: api.tokens.operator,
        body: { tags: ['no-such-tag'] },
      });
      assert.equal(none.status, 422, none.text);
    });
  });

  describe('fleet discovery at scale', () => {
    const COUNT = Number(process.env.DISCOVERY_SCALE_HOSTS ?? 200);
    let fleet: Awaited<ReturnType<typeof startEsxiFleet>>;
    const ids = new Map<string, SimulatedHost>();

    before(async () => {
      fleet = await startEsxiFleet({ hosts: COUNT, profileFor });
      fleet.hosts.forEach((sim, i) => {
        if (i % 2 === 0) configureNutClient(sim, i);
      });
      for (const sim of fleet.hosts)
        ids.set(await insertSimHost(api.db.prisma, api.config.secretKey, sim, { trusted: true, tags: ['scale'] }), sim);
    });
    after(() => fleet?.stop());

    test(`discovers ${COUNT} hosts and matches the simulator host by host`, async () => {
      const started = Date.now();
      const res = await api.call<Queued>('POST', '/hosts/discover', {
        token: api.tokens.operator,
        body: { tags: ['scale'] },
      });
      assert.equal(res.status, 202, res.text);
      assert.equal(res.body.total, COUNT);
      const run = await waitRun(res.body.runId, 80_000);
      const seconds = (Date.now() - started) / 1000;
      console.log(`# discovery of ${COUNT} simulated hosts: ${seconds.toFixed(1)} s`);
      assert.deepEqual(
        { done: run.done, succeeded: run.succeeded, failed: run.failed },
        { done: COUNT, succeeded: COUNT, failed: 0 },
        JSON.stringify(run.errors.slice(0, 3)),
      );

      const rows = await api.db.prisma.host.findMany({ where: { id: { in: [...ids.keys()] } } });
      assert.equal(rows.length, COUNT);
      for (const row of rows) {
        const sim = ids.get(row.id);
        assert.ok(sim);
        assertMatchesSimulator(row, sim);
      }
    });
  });
});

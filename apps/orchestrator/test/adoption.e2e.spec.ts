import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { type INestApplicationContext } from '@nestjs/common';

import { type EsxiFleet, nutUserVarDefinitions, type SimulatedHost, startEsxiFleet, waitFor } from '@nutfleet/testing';

import { createWorkerApp } from '../../worker/src/worker.app';
import { type ApiTestApp, startApiTestApp } from './support/api-test-app';
import { insertSimHost } from './support/simulated-host-rows';

const NUT_PASSWORD = 'hand-Set-Pa55';
const VIB = { name: 'upsmon', version: '2.8.5-2.7.3', vendor: 'Margar', acceptanceLevel: 'community' } as const;
/** Hand-set fallback timings: long enough that the VIB still acts after nutfleet's plan (checked below). */
const SAFE = { finalDelay: 3000, onBatteryDelay: 7200 };
/** The VIB's own default NutFinalDelay: 5 s after low battery, long before nutfleet's plan is done. */
const UNSAFE_FINAL_DELAY = 5;

interface Proposal {
  servers: {
    key: string;
    name: string;
    host: string;
    port: number;
    username: string | null;
    existingId: string | null;
  }[];
  upses: { serverKey: string; name: string; existingId: string | null; hostNames: string[] }[];
  feeds: { hostName: string; serverKey: string; upsName: string }[];
  hostNames: string[];
  timings: {
    hostName: string;
    finalDelay: { value: number; kept: boolean; why: string } | null;
    onBatteryDelay: { value: number; kept: boolean; why: string } | null;
    desiredFinalDelaySeconds: number;
    desiredOnBatteryDelaySeconds: number;
    deadline: string;
  }[];
  problems: { hostName: string; message: string }[];
}
interface Drift {
  drifted: {
    hostName: string;
    problems: string[];
    reasons: string[];
    userVarChanges: { name: string; from: unknown; to: unknown }[];
  }[];
}

/** What an administrator did by hand on each host after installing the VIB. */
function configureByHand(
  sim: SimulatedHost,
  upsName: string,
  timing: { finalDelay: number; onBatteryDelay: number; minSupplies?: number },
): void {
  for (const def of nutUserVarDefinitions(VIB.version)) sim.state.settings.create(def);
  sim.state.settings.setString('/UserVars/NutUpsName', upsName);
  sim.state.settings.setString('/UserVars/NutUser', 'monuser');
  sim.state.settings.setString('/UserVars/NutPassword', NUT_PASSWORD);
  sim.state.settings.setInt('/UserVars/NutFinalDelay', timing.finalDelay);
  sim.state.settings.setInt('/UserVars/NutOnBatteryDelay', timing.onBatteryDelay);
  if (timing.minSupplies !== undefined) sim.state.settings.setInt('/UserVars/NutMinSupplies', timing.minSupplies);
}

describe('adoption of hosts configured by hand (API + worker + simulated ESXi)', () => {
  let api: ApiTestApp;
  let worker: INestApplicationContext;
  let fleet: EsxiFleet;
  const ids: string[] = [];
  const names: string[] = [];

  before(async () => {
    api = await startApiTestApp();
    worker = await createWorkerApp(api.config);
    fleet = await startEsxiFleet({ hosts: 4, defaults: { installedVibs: [{ ...VIB }] }, seed: 'adoption-e2e' });
    configureByHand(fleet.host(0), 'ups1@nas.lan', { finalDelay: SAFE.finalDelay, onBatteryDelay: 0 });
    configureByHand(fleet.host(1), 'ups1@nas.lan ups2@10.0.0.7:3494', {
      finalDelay: SAFE.finalDelay,
      onBatteryDelay: SAFE.onBatteryDelay,
      minSupplies: 2,
    });
    // Host 2 has the VIB as installed: NutUpsName still upsname@nutserver.
    for (const def of nutUserVarDefinitions(VIB.version)) fleet.host(2).state.settings.create(def);
    // Host 3 kept the VIB's default NutFinalDelay: its own client would act before nutfleet's plan is done.
    configureByHand(fleet.host(3), 'ups1@nas.lan', { finalDelay: UNSAFE_FINAL_DELAY, onBatteryDelay: 0 });
    for (let i = 0; i < 4; i++) {
      ids.push(await insertSimHost(api.db.prisma, api.config.secretKey, fleet.host(i), { trusted: true }));
      names.push((await api.db.prisma.host.findUniqueOrThrow({ where: { id: ids[i] } })).name);
    }
    const run = await api.call<{ runId: string }>('POST', '/hosts/discover', { body: {} });
    assert.equal(run.status, 202, run.text);
    await waitFor(
      'discovery',
      async () => {
        const r = await api.call<{ state: string }>('GET', `/discovery-runs/${run.body.runId}`);
        return r.body.state === 'finished';
      },
      30_000,
    );
  });

  after(async () => {
    await worker?.close();
    await fleet?.stop();
    const leaked = api?.responses.filter((body) => body.includes(NUT_PASSWORD));
    await api?.close();
    assert.deepEqual(leaked, [], 'the NUT password appeared in a response');
  });

  test('the proposal names the servers, UPSes and feeds the UserVars imply, and the unconfigured host', async () => {
    const r = await api.call<Proposal>('GET', '/adoption/proposal', { token: api.tokens.operator });
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(
      r.body.servers.map((s) => [s.key, s.name, s.username, s.existingId]),
      [
        ['10.0.0.7:3494', '10.0.0.7-3494', 'monuser', null],
        ['nas.lan:3493', 'nas.lan', 'monuser', null],
      ],
    );
    assert.deepEqual(
      r.body.upses.map((u) => `${u.name}@${u.serverKey}:${u.hostNames.length}`),
      ['ups2@10.0.0.7:3494:1', 'ups1@nas.lan:3493:3'],
    );
    assert.equal(r.body.feeds.length, 4);
    assert.deepEqual(r.body.hostNames, [names[0], names[1], names[3]].sort());
    assert.deepEqual(r.body.problems.map((p) => p.hostName).sort(), [names[2], names[3]].sort());
  });

  test('the proposal shows the timings the hosts run: safe ones kept, the unsafe one refused with the reason', async () => {
    const r = await api.call<Proposal>('GET', '/adoption/proposal', { token: api.tokens.operator });
    const timing = (i: number) => r.body.timings.find((t) => t.hostName === names[i]);
    for (const i of [0, 1]) {
      const t = timing(i);
      assert.equal(t?.finalDelay?.kept, true, `${names[i]}: ${t?.finalDelay?.why}`);
      assert.equal(t?.desiredFinalDelaySeconds, SAFE.finalDelay);
      assert.ok(t !== undefined && t.desiredFinalDelaySeconds < 3600, "the hand value is above nutfleet's minimum");
    }
    assert.deepEqual([timing(0)?.onBatteryDelay?.kept, timing(0)?.desiredOnBatteryDelaySeconds], [true, 0]);
    assert.deepEqual(
      [timing(1)?.onBatteryDelay?.kept, timing(1)?.desiredOnBatteryDelaySeconds],
      [true, SAFE.onBatteryDelay],
    );
    const unsafe = timing(3);
    assert.equal(unsafe?.finalDelay?.kept, false);
    assert.ok((unsafe?.desiredFinalDelaySeconds ?? 0) > UNSAFE_FINAL_DELAY);
    assert.match(unsafe?.finalDelay?.why ?? '', /before nutfleet's plan finished/);
    assert.match(unsafe?.deadline ?? '', /an outage of ups1@nas\.lan/, 'judged with the proposed feeds');
    const problem = r.body.problems.find((p) => p.hostName === names[3]);
    assert.match(problem?.message ?? '', /^NutFinalDelay \(unsafe, will drift\): the 5 s set by hand/);
  });

  test('one apply creates them; the adopted hosts then match on every UserVar, the unsafe timing drifts and says why', async () => {
    const applied = await api.call<{
      serversCreated: string[];
      upsesCreated: string[];
      feedsCreated: number;
      hostsUpdated: string[];
    }>('POST', '/adoption/apply', {
      body: {
        passwords: [
          { serverKey: 'nas.lan:3493', password: NUT_PASSWORD },
          { serverKey: '10.0.0.7:3494', password: NUT_PASSWORD },
        ],
      },
    });
    assert.equal(applied.status, 200, applied.text);
    assert.deepEqual(applied.body.serversCreated.sort(), ['10.0.0.7-3494', 'nas.lan']);
    assert.deepEqual(applied.body.upsesCreated.sort(), ['ups1@nas.lan', 'ups2@10.0.0.7-3494']);
    assert.equal(applied.body.feedsCreated, 4);

    assert.deepEqual(applied.body.hostsUpdated.sort(), [names[0], names[1], names[3]].sort());

    const after = await api.call<Drift>('GET', '/hosts/drift');
    for (const name of [names[0], names[1]]) {
      const d = after.body.drifted.find((x) => x.hostName === name);
      assert.deepEqual(d?.problems ?? [], [], `${name} has no configuration problem left`);
      assert.deepEqual(
        (d?.userVarChanges ?? []).map((c) => `${c.name}: ${String(c.from)} → ${String(c.to)}`),
        [],
        `${name}: every UserVar already as desired, hand-set timings and minSupplies included`,
      );
    }
    const desired = await api.call<{ userVars: Record<string, unknown>; reasons: Record<string, string> }>(
      'GET',
      `/hosts/${ids[1]}/desired-config`,
    );
    assert.equal(desired.status, 200, desired.text);
    assert.equal(desired.body.userVars['NutMinSupplies'], 2);
    assert.match(desired.body.reasons['NutFinalDelay'] ?? '', /set by hand before adoption and is kept/);

    // The unsafe host: only the timing drifts, and the drift says why its hand-set value is not kept.
    const unsafe = after.body.drifted.find((x) => x.hostName === names[3]);
    assert.deepEqual(
      unsafe?.userVarChanges.map((c) => [c.name, c.from]),
      [['NutFinalDelay', UNSAFE_FINAL_DELAY]],
    );
    assert.match(
      unsafe?.reasons.join('\n') ?? '',
      /NutFinalDelay: 5 → \d+ — \d+ because L \+ D \+ M = .*Adopted value: the 5 s set by hand before adoption is not kept: it is below the \d+ s nutfleet needs/,
    );

    const again = await api.call<Proposal>('GET', '/adoption/proposal');
    assert.ok(
      again.body.servers.every((s) => s.existingId !== null),
      'nothing left to create',
    );
    assert.deepEqual(again.body.feeds, []);
  });
});

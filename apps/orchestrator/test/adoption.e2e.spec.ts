import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { type INestApplicationContext } from '@nestjs/common';

import { type EsxiFleet, nutUserVarDefinitions, type SimulatedHost, startEsxiFleet, waitFor } from '@nutfleet/testing';

import { createWorkerApp } from '../../worker/src/worker.app';
import { type ApiTestApp, startApiTestApp } from './support/api-test-app';
import { insertSimHost } from './support/simulated-host-rows';

const NUT_PASSWORD = 'hand-Set-Pa55';
const VIB = { name: 'upsmon', version: '2.8.5-2.7.3', vendor: 'Margar', acceptanceLevel: 'community' } as const;
/** What adoption answers for: which UPSes, as whom. Timings follow the policy, not adoption. */
const ADOPTED_VARS = ['NutUpsName', 'NutUser', 'NutPassword'];

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
  problems: { hostName: string; message: string }[];
}
interface Drift {
  drifted: { hostName: string; problems: string[]; userVarChanges: { name: string }[] }[];
}

/** What an administrator did by hand on each host after installing the VIB. */
function configureByHand(sim: SimulatedHost, upsName: string): void {
  for (const def of nutUserVarDefinitions(VIB.version)) sim.state.settings.create(def);
  sim.state.settings.setString('/UserVars/NutUpsName', upsName);
  sim.state.settings.setString('/UserVars/NutUser', 'monuser');
  sim.state.settings.setString('/UserVars/NutPassword', NUT_PASSWORD);
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
    fleet = await startEsxiFleet({ hosts: 3, defaults: { installedVibs: [{ ...VIB }] }, seed: 'adoption-e2e' });
    configureByHand(fleet.host(0), 'ups1@nas.lan');
    configureByHand(fleet.host(1), 'ups1@nas.lan ups2@10.0.0.7:3494');
    // Host 2 has the VIB as installed: NutUpsName still upsname@nutserver.
    for (const def of nutUserVarDefinitions(VIB.version)) fleet.host(2).state.settings.create(def);
    for (let i = 0; i < 3; i++) {
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
      ['ups2@10.0.0.7:3494:1', 'ups1@nas.lan:3493:2'],
    );
    assert.equal(r.body.feeds.length, 3);
    assert.deepEqual(r.body.hostNames, [names[0], names[1]].sort());
    assert.deepEqual(
      r.body.problems.map((p) => p.hostName),
      [names[2]],
    );
  });

  test('one apply creates them; the adopted hosts then match on servers, UPSes, user and password', async () => {
    const applied = await api.call<{ serversCreated: string[]; upsesCreated: string[]; feedsCreated: number }>(
      'POST',
      '/adoption/apply',
      {
        body: {
          passwords: [
            { serverKey: 'nas.lan:3493', password: NUT_PASSWORD },
            { serverKey: '10.0.0.7:3494', password: NUT_PASSWORD },
          ],
        },
      },
    );
    assert.equal(applied.status, 200, applied.text);
    assert.deepEqual(applied.body.serversCreated.sort(), ['10.0.0.7-3494', 'nas.lan']);
    assert.deepEqual(applied.body.upsesCreated.sort(), ['ups1@nas.lan', 'ups2@10.0.0.7-3494']);
    assert.equal(applied.body.feedsCreated, 3);

    const after = await api.call<Drift>('GET', '/hosts/drift');
    for (const name of [names[0], names[1]]) {
      const d = after.body.drifted.find((x) => x.hostName === name);
      assert.deepEqual(d?.problems ?? [], [], `${name} has no configuration problem left`);
      assert.deepEqual(
        (d?.userVarChanges ?? []).map((c) => c.name).filter((n) => ADOPTED_VARS.includes(n)),
        [],
        `${name}: NutUpsName, NutUser and NutPassword already as desired`,
      );
    }

    const again = await api.call<Proposal>('GET', '/adoption/proposal');
    assert.ok(
      again.body.servers.every((s) => s.existingId !== null),
      'nothing left to create',
    );
    assert.deepEqual(again.body.feeds, []);
  });
});

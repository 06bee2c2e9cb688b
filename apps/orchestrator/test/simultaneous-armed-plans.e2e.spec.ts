import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { type INestApplicationContext } from '@nestjs/common';

import { type EsxiFleet, startEsxiFleet, waitFor } from '@nutfleet/testing';

import { createWorkerApp } from '../../worker/src/worker.app';
import { type ApiTestApp, startApiTestApp } from './support/api-test-app';
import { insertOutageHost } from './support/outage-fleet';

const REQUESTS = 6;

/**
 * #15: two armed plans created at the same moment for one host sent its VM shutdowns twice. The
 * check "no other armed plan holds these hosts" and the insert are one step: of simultaneous
 * requests exactly one gets a plan, the others a 409 naming it, and each VM gets one shutdown.
 */
describe('simultaneous armed shutdown plans for one host', { timeout: 120_000 }, () => {
  let api: ApiTestApp;
  let worker: INestApplicationContext;
  let fleet: EsxiFleet;

  before(async () => {
    api = await startApiTestApp();
    worker = await createWorkerApp(api.config);
    fleet = await startEsxiFleet({
      hosts: [
        {
          vms: [
            { name: 'db', guestShutdownMs: 100 },
            { name: 'app', guestShutdownMs: 100 },
          ],
        },
      ],
      msPerSecond: 50,
    });
  });
  after(async () => {
    await worker?.close();
    await fleet?.stop();
    await api?.close();
  });

  test(`${REQUESTS} requests at once: one plan, the others refused naming it; each VM shut down once, the host powered off once`, async () => {
    const sim = fleet.host(0);
    const hostId = await insertOutageHost(api.db.prisma, api.config.secretKey, sim, {
      stage: 0,
      minSupplies: 1,
      upsIds: [],
    });
    const responses = await Promise.all(
      Array.from({ length: REQUESTS }, () =>
        api.call<{ id: string }>('POST', '/plans/shutdown', {
          token: api.tokens.operator,
          body: { targets: { hosts: [hostId] }, mode: 'armed' },
        }),
      ),
    );
    const said = responses.map((r) => `${r.status} ${r.status === 201 ? r.body.id : r.text}`).join('\n');
    const created = responses.filter((r) => r.status === 201);
    const refused = responses.filter((r) => r.status === 409);
    assert.equal(created.length, 1, said);
    assert.equal(refused.length, REQUESTS - 1, said);
    const planId = created[0]?.body.id ?? '';
    for (const r of refused) assert.match(r.text, new RegExp(planId));

    await waitFor(
      'the plan to finish',
      async () => {
        const plan = await api.call<{ state: string }>('GET', `/plans/${planId}`, { token: api.tokens.viewer });
        return plan.body.state === 'SUCCEEDED' || plan.body.state === 'FAILED';
      },
      60_000,
      200,
    );
    const commands = sim.commandLog.map((c) => c.argv.join(' '));
    for (const vm of sim.state.vms)
      assert.equal(
        commands.filter((c) => c === `vim-cmd vmsvc/power.shutdown ${vm.id}`).length,
        1,
        `${vm.name}: one guest shutdown\n${commands.join('\n')}`,
      );
    assert.equal(commands.filter((c) => c === 'poweroff').length, 1);
  });
});

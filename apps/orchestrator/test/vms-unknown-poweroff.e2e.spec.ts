import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { type INestApplicationContext } from '@nestjs/common';

import { type FactReadStatus, type HostFacts, type Prisma } from '@nutfleet/db';
import { type EsxiFleet, simulatedHostFacts, type SimulatedHost, startEsxiFleet, waitFor } from '@nutfleet/testing';

import { createWorkerApp } from '../../worker/src/worker.app';
import { type ApiTestApp, startApiTestApp } from './support/api-test-app';
import { insertOutageHost } from './support/outage-fleet';

interface Plan {
  state: string;
  steps: Array<{ key: string; action: string; state: string; output: string | null }>;
  events: Array<{ type: string; data: { event?: string; code?: string; hostName?: string; message?: string } | null }>;
}

const VMS = [
  { name: 'db', guestShutdownMs: 50 },
  { name: 'app', guestShutdownMs: 50 },
  { name: 'legacy', tools: false },
  { name: 'spare', power: 'off' as const },
];

/**
 * The #15 case: a host whose VMs could not be read at discovery gets no VM steps in a plan. Its
 * host step must not send a bare `poweroff`: it reads the VM list again and stops the running VMs
 * first; if the list still cannot be read, the plan records a warning naming the host.
 */
describe('a host whose VM list was unreadable: its power-off step stops its VMs first', { timeout: 120_000 }, () => {
  let api: ApiTestApp;
  let worker: INestApplicationContext;
  let fleet: EsxiFleet;

  /** A host whose stored facts say its VM list failed to parse and was never read. */
  async function hostWithUnknownVms(sim: SimulatedHost): Promise<{ id: string; name: string }> {
    const id = await insertOutageHost(api.db.prisma, api.config.secretKey, sim, {
      stage: 0,
      minSupplies: 1,
      upsIds: [],
    });
    const known = simulatedHostFacts(sim);
    const failed: FactReadStatus = {
      state: 'failed',
      at: known.discoveredAt,
      error: { code: 'VmListParseError', message: `${sim.id}: vim-cmd vmsvc/getallvms: line 3 does not parse` },
      valueReadAt: null,
    };
    const facts: HostFacts = { ...known, vms: [], reads: { ...known.reads, vms: failed } };
    const row = await api.db.prisma.host.update({
      where: { id },
      data: { facts: facts as unknown as Prisma.InputJsonObject },
      select: { name: true },
    });
    return { id, name: row.name };
  }

  async function armedPlan(hostId: string): Promise<Plan> {
    const created = await api.call<{ id: string }>('POST', '/plans/shutdown', {
      token: api.tokens.operator,
      body: { targets: { hosts: [hostId] }, mode: 'armed' },
    });
    assert.equal(created.status, 201, created.text);
    let plan: Plan | undefined;
    await waitFor(
      'the plan to finish',
      async () => {
        plan = (await api.call<Plan>('GET', `/plans/${created.body.id}`, { token: api.tokens.viewer })).body;
        return plan.state !== 'PENDING' && plan.state !== 'RUNNING';
      },
      60_000,
      200,
    );
    assert.ok(plan);
    return plan;
  }

  /** The commands the host received, unquoted (`vim-cmd vmsvc/power.off 3`). */
  const lines = (sim: SimulatedHost): string[] => sim.commandLog.map((c) => c.argv.join(' '));

  before(async () => {
    api = await startApiTestApp();
    worker = await createWorkerApp(api.config);
    fleet = await startEsxiFleet({ hosts: [{ vms: VMS }, { vms: VMS }], msPerSecond: 50 });
  });
  after(async () => {
    await worker?.close();
    await fleet?.stop();
    await api?.close();
  });

  test('the preview warns VMS_UNKNOWN; the step reads the list again and stops the running VMs before poweroff', async () => {
    const sim = fleet.host(0);
    const host = await hostWithUnknownVms(sim);
    const preview = await api.call<{
      warnings: Array<{ code: string; hostId?: string }>;
      steps: Array<{ kind: string }>;
    }>('GET', `/plans/shutdown/preview?hosts=${host.id}`, { token: api.tokens.viewer });
    assert.ok(
      preview.body.warnings.some((w) => w.code === 'VMS_UNKNOWN' && w.hostId === host.id),
      JSON.stringify(preview.body.warnings),
    );
    assert.deepEqual(
      preview.body.steps.map((s) => s.kind),
      ['host-power-off'],
      'no VM step: the VMs are unknown',
    );

    const plan = await armedPlan(host.id);
    assert.equal(plan.state, 'SUCCEEDED', JSON.stringify(plan.steps));
    const log = lines(sim);
    const poweroffAt = log.findIndex((l) => /^poweroff\b/.test(l));
    assert.ok(poweroffAt >= 0, log.join('\n'));
    const before = log.slice(0, poweroffAt);
    assert.ok(
      before.some((l) => l.includes('vmsvc/getallvms')),
      'the VM list is read again',
    );
    for (const vm of sim.state.vms.filter((v) => v.name !== 'spare')) {
      const stopped = before.some((l) => new RegExp(`vmsvc/power\\.(shutdown|off) ${vm.id}$`).test(l));
      assert.ok(stopped, `${vm.name} (${vm.id}) is stopped before the host's poweroff:\n${before.join('\n')}`);
    }
    const spare = sim.state.vms.find((v) => v.name === 'spare');
    assert.ok(!before.some((l) => new RegExp(`vmsvc/power\\.(shutdown|off) ${spare?.id}$`).test(l)));
    const step = plan.steps.find((s) => s.action === 'host-power-off');
    assert.match(step?.output ?? '', /VM list read again: 4 VM\(s\), 3 running.*poweroff sent/);
    assert.ok(!plan.events.some((e) => e.data?.event === 'warning'));
  });

  test('a list still unreadable at the step: a warning naming the host in the plan events, and the poweroff goes ahead', async () => {
    const sim = fleet.host(1);
    const host = await hostWithUnknownVms(sim);
    fleet.injectFault(1, { kind: 'unknown-command', match: 'vmsvc/getallvms' });
    const plan = await armedPlan(host.id);
    assert.equal(plan.state, 'SUCCEEDED', JSON.stringify(plan.steps));
    assert.ok(
      lines(sim).some((l) => /^poweroff\b/.test(l)),
      'powered off (ESXi autostop stops the VMs)',
    );
    const warning = plan.events.find((e) => e.data?.event === 'warning');
    assert.equal(warning?.data?.code, 'VMS_UNKNOWN');
    assert.equal(warning?.data?.hostName, host.name);
    assert.match(warning?.data?.message ?? '', new RegExp(`^${host.name}: its VM list could not be read .* nor now`));
    assert.match(plan.steps.find((s) => s.action === 'host-power-off')?.output ?? '', /WARNING/);
  });
});

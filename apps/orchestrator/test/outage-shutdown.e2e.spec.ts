/**
 * Outage end to end: a real upsd + dummy-ups (2 UPSes), the orchestrator (power monitor,
 * automatic plans, API) in this process, the worker as a real process, 50 simulated ESXi hosts.
 * Then chaos: the worker killed with -9 mid-plan and this test's Redis keys flushed mid-plan.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { deleteKeysStartingWith, type EsxiFleet, type NutTestbed, type TestDatabase, waitFor } from '@nutfleet/testing';

import { insertOutageHost, poweroffTimes, firstStateChangeAt, stateChangingCommands } from './support/outage-fleet';
import { OutageRig } from './support/outage-rig';

describe('outage: OL → OB → OB LB drives one plan over 50 hosts on 2 UPSes', { timeout: 240_000 }, () => {
  let rig: OutageRig;
  let db: TestDatabase;
  let bed: NutTestbed;
  let fleet: EsxiFleet;
  let base = '';
  let token = '';
  const hostIds: string[] = [];
  let ups1 = '';
  let ups2 = '';

  async function api<T>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
    const response = await fetch(`${base}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    return { status: response.status, body: (await response.json()) as T };
  }

  async function waitPlanDone(
    planId: string,
    timeoutMs: number,
  ): Promise<{ state: string; steps: Array<{ state: string; key: string }> }> {
    let plan: { state: string; steps: Array<{ state: string; key: string }> } = { state: '?', steps: [] };
    try {
      await waitFor(
        `plan ${planId} to finish`,
        async () => {
          plan = (await api<typeof plan>('GET', `/plans/${planId}`)).body;
          return plan.state !== 'PENDING' && plan.state !== 'RUNNING';
        },
        timeoutMs,
        250,
      );
    } catch (error) {
      throw new Error(
        `${String(error)}; still ${plan.state}: ${JSON.stringify(plan.steps.filter((s) => s.state !== 'SUCCEEDED').slice(0, 5))}\nworker: ${rig.worker?.output().slice(-3000) ?? ''}`,
      );
    }
    return plan;
  }

  before(async () => {
    rig = await OutageRig.start({ upses: 2, fleet: { hosts: 60, seed: 'outage-e2e', msPerSecond: 50 } });
    ({ db, bed, fleet } = rig);
    token = await rig.token('outage-op');
    const nut = rig.nut;
    ups1 = nut.upsId('ups1');
    ups2 = nut.upsId('ups2');
    // 0-19 on ups1 only; 20-29 on ups2 only; 30-39 on both with minSupplies 1 (redundant, stay
    // up while ups2 is on line); 40-49 on both with minSupplies 2 (need both). Stage = i % 2.
    for (let i = 0; i < 50; i++) {
      const sim = fleet.host(i);
      const upsIds = i < 20 ? [ups1] : i < 30 ? [ups2] : [ups1, ups2];
      hostIds.push(
        await insertOutageHost(db.prisma, rig.config.secretKey, sim, {
          stage: i % 2,
          minSupplies: i >= 40 ? 2 : 1,
          upsIds,
        }),
      );
    }
    await rig.startProcesses();
    base = rig.base;
  });

  after(() => rig?.stop());

  const goesDown = (i: number): boolean => i < 20 || i >= 40;

  test('dry-run reads every host of the plan and sends no state-changing command', async () => {
    const targets = { hosts: hostIds.slice(20, 30) };
    const preview = await api<{
      hostCount: number;
      predictedDurationSeconds: number;
      steps: unknown[];
      warnings: unknown[];
    }>('GET', `/plans/shutdown/preview?hosts=${targets.hosts.join(',')}`);
    assert.equal(preview.status, 200);
    assert.equal(preview.body.hostCount, 10);
    assert.equal(preview.body.steps.length, 40); // 3 VMs + the host, each
    const created = await api<{ id: string; mode: string }>('POST', '/plans/shutdown', { targets, mode: 'dry-run' });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const plan = await waitPlanDone(created.body.id, 30_000);
    assert.equal(plan.state, 'SUCCEEDED');
    const outputs = (await api<{ steps: Array<{ output: string }> }>('GET', `/plans/${created.body.id}`)).body.steps;
    assert.ok(
      outputs.every((s) => s.output.startsWith('dry-run:')),
      outputs[0]?.output,
    );
    for (let i = 20; i < 30; i++) {
      assert.deepEqual(stateChangingCommands(fleet.host(i)), [], `host ${i}`);
      assert.ok(
        fleet.host(i).commandLog.some((c) => c.line.includes('vmsvc/power.getstate')),
        `host ${i} was read`,
      );
      assert.equal(fleet.host(i).power, 'on');
    }
  });

  test('on battery alone nothing happens; OB LB on ups1 takes exactly the expected hosts down, stage by stage', async () => {
    bed.setStatus('ups1', 'OB DISCHRG');
    await waitFor(
      'ups1 on battery',
      async () => (await db.prisma.ups.findUnique({ where: { id: ups1 } }))?.status === 'OB DISCHRG',
      15_000,
    );
    await new Promise((r) => setTimeout(r, 1500));
    assert.equal(
      await db.prisma.plan.count({ where: { createdBy: 'power-monitor' } }),
      0,
      'no plan while only on battery',
    );

    bed.setStatus('ups1', 'OB LB');
    await waitFor(
      'the automatic plan',
      async () => (await db.prisma.plan.count({ where: { createdBy: 'power-monitor' } })) === 1,
      20_000,
    );
    const auto = await db.prisma.plan.findFirstOrThrow({ where: { createdBy: 'power-monitor' } });
    const plan = await waitPlanDone(auto.id, 90_000);
    assert.equal(plan.state, 'SUCCEEDED', JSON.stringify(plan.steps.filter((s) => s.state !== 'SUCCEEDED')));
    // More polls, more events: still one plan.
    await new Promise((r) => setTimeout(r, 1500));
    assert.equal(await db.prisma.plan.count({ where: { createdBy: 'power-monitor' } }), 1);

    const lastStage0Off = Math.max(...[0, 2, 4, 40, 42].flatMap((i) => poweroffTimes(fleet.host(i))));
    for (let i = 0; i < 50; i++) {
      const sim = fleet.host(i);
      if (!goesDown(i)) {
        assert.equal(sim.power, 'on', `host ${i} must stay up`);
        assert.deepEqual(stateChangingCommands(sim), [], `host ${i} got no command`);
        continue;
      }
      const offs = poweroffTimes(sim);
      assert.equal(offs.length, 1, `host ${i} powered off exactly once`);
      assert.equal(sim.power, 'off', `host ${i} is off`);
      const vmCommands = sim.commandLog.filter((c) => /vmsvc\/power\.(shutdown|suspend|off)/.test(c.line));
      assert.ok(vmCommands.length >= 3, `host ${i} VMs were stopped by nutfleet`);
      assert.ok(
        vmCommands.every((c) => c.at <= (offs[0] ?? 0)),
        `host ${i}: VMs before the host`,
      );
      if (i % 2 === 1)
        assert.ok((firstStateChangeAt(sim) ?? 0) >= lastStage0Off - 5, `host ${i} (stage 1) started after stage 0`);
    }
  });

  test('chaos: worker killed with -9 and Redis flushed mid-plan; the plan completes, each host powered off once', async () => {
    // Hosts 50-59: slow guest shutdowns so the plan is still running when the worker dies.
    const ids: string[] = [];
    for (let i = 50; i < 60; i++) {
      const sim = fleet.host(i);
      for (const vm of sim.state.vms) vm.guestShutdownMs = 1500;
      ids.push(
        await insertOutageHost(db.prisma, rig.config.secretKey, sim, { stage: i % 2, minSupplies: 1, upsIds: [ups2] }),
      );
    }
    const created = await api<{ id: string }>('POST', '/plans/shutdown', { targets: { hosts: ids }, mode: 'armed' });
    assert.equal(created.status, 201);
    const planId = created.body.id;
    // Kill once a host has received its poweroff and others have not yet: the resumed plan must
    // verify that host (never resend) and finish the others. (A kill between the PostgreSQL claim
    // and the send leaves that host to verification only; see the report's known limits.)
    const received = (): number => fleet.hosts.slice(50, 60).filter((h) => poweroffTimes(h).length > 0).length;
    await waitFor('a first poweroff received', () => Promise.resolve(received() >= 1), 30_000, 20);
    rig.worker?.child.kill('SIGKILL');
    await rig.worker?.exited;
    const sent = await db.prisma.planStep.count({ where: { planId, commandSentAt: { not: null } } });
    assert.ok(sent < 10, 'killed mid-plan');
    // Redis loses every job of this test (only this test's prefix).
    await deleteKeysStartingWith(rig.redis.url, rig.redis.prefix);

    await rig.startWorker();
    const plan = await waitPlanDone(planId, 90_000);
    assert.equal(plan.state, 'SUCCEEDED', JSON.stringify(plan.steps.filter((s) => s.state !== 'SUCCEEDED')));
    for (let i = 50; i < 60; i++) {
      assert.equal(poweroffTimes(fleet.host(i)).length, 1, `host ${i} powered off exactly once`);
      assert.equal(fleet.host(i).power, 'off');
    }
  });
});

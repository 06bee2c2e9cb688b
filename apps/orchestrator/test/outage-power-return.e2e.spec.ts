/**
 * Outage edge cases end to end: a real upsd + dummy-ups (5 UPSes), the orchestrator (power
 * monitor, automatic plans) in this process, the worker as a real process, 28 simulated hosts.
 *  - power back before the point of no return: steps not started are cancelled, untouched hosts
 *    stay up, nothing is left half-done;
 *  - power back after it: the plan completes;
 *  - a second UPS going LB later in the same outage: the same plan gains the newly critical
 *    hosts, none twice;
 *  - short on-battery blips (flap guard): no plan.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { type EsxiFleet, type HostProfile, type NutTestbed, type TestDatabase, waitFor } from '@nutfleet/testing';

import { insertOutageHost, poweroffTimes } from './support/outage-fleet';
import { OutageRig } from './support/outage-rig';

/** Commands that start taking a VM or a host down. */
const STOP = /vmsvc\/power\.(shutdown|suspend|off)\b|^'?poweroff\b/;
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Hosts (index → role):
 *  0-3   ups1, stage 0, one VM whose guest shutdown takes 25 s (still stopping when power returns)
 *  4-7   ups1, stage 1 (not started when power returns)
 *  8-11  ups2, point of no return 1 s
 *  12-15 ups3 only; 16-19 ups4 only; 20-23 ups3 + ups4 with minSupplies 1 (redundant)
 *  24-27 ups5, policy "1 s on battery" (flap guard 5 s)
 */
const SLOW_VM: HostProfile = { vms: [{ name: 'slow', tools: true, guestShutdownMs: 25_000 }] };
const PROFILES: HostProfile[] = Array.from({ length: 28 }, (_, i) => (i < 4 ? SLOW_VM : {}));

describe('outage: point of no return, a host joining later, flapping', { timeout: 300_000 }, () => {
  let rig: OutageRig;
  let db: TestDatabase;
  let bed: NutTestbed;
  let fleet: EsxiFleet;
  const hostIds: string[] = [];

  const automaticPlans = () =>
    db.prisma.plan.findMany({ where: { kind: 'SHUTDOWN', createdBy: 'power-monitor' }, orderBy: { createdAt: 'asc' } });

  async function waitPlanFinished(planId: string, timeoutMs: number): Promise<string> {
    let state = '?';
    await waitFor(
      `plan ${planId} to finish`,
      async () => {
        state = (await db.prisma.plan.findUniqueOrThrow({ where: { id: planId } })).state;
        return state !== 'PENDING' && state !== 'RUNNING';
      },
      timeoutMs,
      250,
    ).catch(async (error: unknown) => {
      const steps = await db.prisma.planStep.findMany({
        where: { planId },
        select: { key: true, state: true, error: true },
      });
      throw new Error(`${String(error)}; ${JSON.stringify(steps.filter((s) => s.state !== 'SUCCEEDED').slice(0, 5))}`);
    });
    return state;
  }

  async function newPlanAfter(known: number): Promise<string> {
    await waitFor('an automatic plan', async () => (await automaticPlans()).length > known, 20_000, 100);
    return (await automaticPlans())[known]?.id ?? '';
  }

  const stops = (i: number): string[] =>
    fleet
      .host(i)
      .commandLog.map((c) => c.line)
      .filter((line) => STOP.test(line));

  before(async () => {
    rig = await OutageRig.start({
      upses: 5,
      fleet: { hosts: PROFILES, seed: 'power-return-e2e', msPerSecond: 50 },
    });
    ({ db, bed, fleet } = rig);
    const upsId = (name: string): string => rig.nut.upsId(name);
    // The cancel test's VM must still be stopping when power is back and confirmed (10 s).
    const late = await db.prisma.policy.create({
      data: { name: 'ponr-60', pointOfNoReturnSeconds: 60, vmGuestShutdownTimeoutSecs: 40 },
    });
    const early = await db.prisma.policy.create({ data: { name: 'ponr-1', pointOfNoReturnSeconds: 1 } });
    const timed = await db.prisma.policy.create({ data: { name: 'one-second-on-battery', onBatterySeconds: 1 } });
    for (let i = 0; i < 28; i++) {
      const feeds =
        i < 8
          ? ['ups1']
          : i < 12
            ? ['ups2']
            : i < 16
              ? ['ups3']
              : i < 20
                ? ['ups4']
                : i < 24
                  ? ['ups3', 'ups4']
                  : ['ups5'];
      const id = await insertOutageHost(db.prisma, rig.config.secretKey, fleet.host(i), {
        stage: i >= 4 && i < 8 ? 1 : 0,
        minSupplies: 1,
        upsIds: feeds.map(upsId),
        policyId: i < 8 ? late.id : i < 12 ? early.id : i >= 24 ? timed.id : null,
      });
      hostIds.push(id);
    }
    await rig.startProcesses();
    await rig.upsesOnLine(5);
  });

  after(() => rig?.stop());

  test('power back before the point of no return: steps not started are cancelled, untouched hosts stay up, none half-done', async () => {
    bed.setStatus('ups1', 'OB LB');
    const planId = await newPlanAfter(0);
    await waitFor(
      'stage 0 VMs stopping',
      () => Promise.resolve([0, 1, 2, 3].every((i) => stops(i).length > 0)),
      20_000,
      100,
    );
    bed.setStatus('ups1', 'OL');
    // Power must stay back 10 s (powerBackConfirmSeconds) before anything is cancelled.
    assert.equal(await waitPlanFinished(planId, 60_000), 'CANCELLED');
    const plan = await db.prisma.plan.findUniqueOrThrow({ where: { id: planId }, include: { steps: true } });
    assert.ok(plan.cancelledAt !== null);
    assert.ok(
      plan.cancelledAt.getTime() < (plan.pointOfNoReturnAt?.getTime() ?? 0),
      'cancelled before the point of no return',
    );
    for (let i = 0; i < 8; i++) {
      assert.equal(fleet.host(i).power, 'on', `host ${i} stays up`);
      assert.equal(poweroffTimes(fleet.host(i)).length, 0, `host ${i} got no poweroff`);
      const steps = plan.steps.filter((s) => s.hostId === hostIds[i]);
      assert.ok(steps.length > 0, `host ${i} was in the plan`);
      if (i >= 4) {
        // Stage 1 had not started: not one command, every step cancelled.
        assert.deepEqual(stops(i), [], `host ${i} untouched`);
        assert.ok(
          steps.every((s) => s.state === 'CANCELLED'),
          `host ${i}: ${steps.map((s) => s.state).join()}`,
        );
      } else {
        // The VM stop in flight finished (its VM is off, not half-way); the host step was cancelled.
        assert.equal(steps.find((s) => s.action === 'vm-stop')?.state, 'SUCCEEDED', `host ${i} VM step`);
        assert.equal(steps.find((s) => s.action === 'host-power-off')?.state, 'CANCELLED', `host ${i} host step`);
        assert.equal(fleet.host(i).state.vms[0]?.power, 'off', `host ${i} VM fully stopped`);
      }
    }
    assert.ok(
      plan.steps.every((s) => ['SUCCEEDED', 'CANCELLED', 'SKIPPED'].includes(s.state)),
      'nothing left running',
    );
  });

  test('power back after the point of no return: the plan completes', async () => {
    const known = (await automaticPlans()).length;
    bed.setStatus('ups2', 'OB LB');
    const planId = await newPlanAfter(known);
    await sleep(1500);
    bed.setStatus('ups2', 'OL');
    assert.equal(await waitPlanFinished(planId, 90_000), 'SUCCEEDED');
    const plan = await db.prisma.plan.findUniqueOrThrow({ where: { id: planId } });
    assert.equal(plan.cancelledAt, null);
    for (let i = 8; i < 12; i++) assert.equal(poweroffTimes(fleet.host(i)).length, 1, `host ${i} powered off once`);
  });

  test('a second UPS going LB later in the same outage: the same plan gains the newly critical hosts, none twice', async () => {
    const known = (await automaticPlans()).length;
    bed.setStatus('ups3', 'OB LB');
    const planId = await newPlanAfter(known);
    await waitFor(
      'ups3-only hosts stopping',
      () => Promise.resolve([12, 13, 14, 15].every((i) => stops(i).length > 0)),
      20_000,
      100,
    );
    const before = await db.prisma.planStep.findMany({ where: { planId }, select: { hostId: true } });
    const inPlan = new Set(before.map((s) => s.hostId));
    for (let i = 16; i < 24; i++) assert.ok(!inPlan.has(hostIds[i] ?? ''), `host ${i} not critical yet (ups4 on line)`);
    for (let i = 16; i < 24; i++) assert.deepEqual(stops(i), [], `host ${i} untouched so far`);

    bed.setStatus('ups4', 'OB LB');
    await waitFor(
      'ups4 hosts joining the plan',
      async () =>
        new Set(
          (await db.prisma.planStep.findMany({ where: { planId }, select: { hostId: true } })).map((s) => s.hostId),
        ).size === 12,
      20_000,
      200,
    );
    assert.equal(await waitPlanFinished(planId, 90_000), 'SUCCEEDED');
    assert.equal((await automaticPlans()).length, known + 1, 'still one plan for the outage');
    const steps = await db.prisma.planStep.findMany({ where: { planId } });
    assert.equal(new Set(steps.map((s) => s.key)).size, steps.length, 'no step twice');
    assert.equal(steps.filter((s) => s.action === 'host-power-off').length, 12, 'one power-off step per host');
    for (let i = 12; i < 24; i++) assert.equal(poweroffTimes(fleet.host(i)).length, 1, `host ${i} powered off once`);
    bed.setStatus('ups3', 'OL');
    bed.setStatus('ups4', 'OL');
  });

  test('short on-battery blips inside the flap guard create no plan', async () => {
    const known = (await automaticPlans()).length;
    const ups5 = (await db.prisma.ups.findFirstOrThrow({ where: { name: 'ups5' } })).id;
    for (let blip = 0; blip < 2; blip++) {
      bed.setStatus('ups5', 'OB DISCHRG');
      await waitFor(
        'nutfleet to see the blip',
        async () => (await db.prisma.ups.findUniqueOrThrow({ where: { id: ups5 } })).status === 'OB DISCHRG',
        15_000,
        100,
      );
      bed.setStatus('ups5', 'OL');
      await waitFor(
        'back on line',
        async () => (await db.prisma.ups.findUniqueOrThrow({ where: { id: ups5 } })).status === 'OL',
        15_000,
        100,
      );
    }
    // Longer than the 1 s threshold and the 5 s guard together: a plan would exist by now.
    await sleep(7000);
    const events = await db.prisma.powerEvent.count({
      where: { upsId: ups5, type: 'STATUS_CHANGE', status: 'OB DISCHRG' },
    });
    assert.equal(events, 2, 'both blips were recorded');
    assert.equal((await automaticPlans()).length, known, 'no plan for blips');
    for (let i = 24; i < 28; i++) assert.deepEqual(stops(i), [], `host ${i} untouched`);
  });
});

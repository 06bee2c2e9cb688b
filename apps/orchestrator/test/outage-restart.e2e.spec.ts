/**
 * Outage then gated restart, end to end: a real upsd + dummy-ups (2 UPSes), the orchestrator
 * (power monitor, automatic shutdown and restart plans, gates, API) in this process, the worker
 * as a real process, 30 simulated ESXi hosts in 3 restart waves answering magic packets on the
 * fleet's loopback Wake-on-LAN port. One host never boots (its NIC ignores magic packets).
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';

import { sealSecret } from '@nutfleet/db';
import { type EsxiFleet, type NutTestbed, simulatedHostFacts, type TestDatabase, waitFor } from '@nutfleet/testing';

import { OutageRig } from './support/outage-rig';

const HOSTS = 30;
const NEVER_BOOTS = 4; // wave 0
const HOST_TIMEOUT_SECONDS = 12;
const STABLE_SECONDS = 3;
const wave = (i: number): number => Math.floor(i / 10);

interface StepRow {
  key: string;
  action: string;
  state: string;
  stage: number;
  hostId: string | null;
  startedAt: string | null;
  finishedAt: string | null;
  error: string | null;
  output: string | null;
}
interface EventRow {
  type: string;
  data: {
    event?: string;
    wave?: number;
    open?: boolean;
    checks?: Array<{ gate: string; open: boolean; reasons: string[] }>;
    timedOutHostIds?: string[];
  } | null;
  at: string;
}
interface PlanView {
  id: string;
  kind: string;
  state: string;
  steps: StepRow[];
  events: EventRow[];
}

describe('outage and gated restart: 30 hosts in 3 waves behind a real upsd', { timeout: 300_000 }, () => {
  let rig: OutageRig;
  let db: TestDatabase;
  let bed: NutTestbed;
  let fleet: EsxiFleet;
  let base = '';
  let token = '';
  const hostIds: string[] = [];

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

  async function waitPlanDone(planId: string, timeoutMs: number): Promise<PlanView> {
    let plan: PlanView | undefined;
    try {
      await waitFor(
        `plan ${planId} to finish`,
        async () => {
          plan = (await api<PlanView>('GET', `/plans/${planId}`)).body;
          return plan.state !== 'PENDING' && plan.state !== 'RUNNING';
        },
        timeoutMs,
        250,
      );
    } catch (error) {
      const open = plan?.steps.filter((s) => s.state !== 'SUCCEEDED').slice(0, 6);
      throw new Error(
        `${String(error)}; ${plan?.state ?? '?'}: ${JSON.stringify(open)}\nworker: ${rig.worker?.output().slice(-3000) ?? ''}`,
      );
    }
    return plan as PlanView;
  }

  const gateEvents = (plan: PlanView): EventRow[] => plan.events.filter((e) => e.data?.event === 'restart-gate');
  const ms = (iso: string | null): number => (iso === null ? Number.NaN : Date.parse(iso));

  before(async () => {
    rig = await OutageRig.start({
      upses: 2,
      fleet: {
        hosts: HOSTS,
        seed: 'restart-e2e',
        msPerSecond: 50,
        profileFor: (i) => ({
          bootDelayMs: 300,
          // Off hosts keep their port: on a busy machine another test's server could take it.
          holdPortWhileOff: true,
          ...(i === NEVER_BOOTS ? { wakeOnLan: false } : {}),
          // Wave 2 hosts do not autostart: nutfleet powers their VMs on, in autostart order.
          ...(wave(i) === 2 ? { autostartDefaults: { enabled: false } } : {}),
        }),
      },
      env: { POWER_MONITOR_POLL_INTERVAL_MS: '300', RESTART_HOST_TIMEOUT_SECONDS: String(HOST_TIMEOUT_SECONDS) },
    });
    ({ db, bed, fleet } = rig);
    const { config, nut } = rig;
    token = await rig.token('restart-op');
    const policy = await db.prisma.policy.create({
      data: {
        name: 'restart-e2e',
        onBatterySeconds: 3600,
        pointOfNoReturnSeconds: 1,
        restartStableSeconds: STABLE_SECONDS,
        restartMinChargePercent: 50,
      },
    });
    for (let i = 0; i < HOSTS; i++) {
      const sim = fleet.host(i);
      const id = randomUUID();
      const facts = simulatedHostFacts(sim);
      const autostart = { ...facts.autostart, defaults: { ...facts.autostart.defaults, enabled: wave(i) !== 2 } };
      await db.prisma.host.create({
        data: {
          id,
          name: `restart-${String(i).padStart(2, '0')}`,
          address: sim.address,
          sshPort: sim.port,
          username: sim.username,
          passwordEnc: sealSecret(sim.password, config.secretKey, `host:${id}:password`),
          hostKeyFingerprint: sim.fingerprint,
          trustState: 'TRUSTED',
          macAddresses: [sim.mac],
          wolBroadcast: fleet.wolAddress,
          wolPort: fleet.wolPort,
          shutdownStage: 0,
          restartWave: wave(i),
          policyId: policy.id,
          facts: { ...facts, autostart },
          feeds: { create: [{ upsId: nut.upsId(i < 15 ? 'ups1' : 'ups2'), powerValue: 1 }] },
        },
      });
      hostIds.push(id);
    }
    await rig.startProcesses();
    base = rig.base;
  });

  after(() => rig?.stop());

  test('restart preview before any outage: nobody was taken down, so nothing to wake unless asked', async () => {
    const none = await api<{ hostCount: number; skipped: unknown[] }>('GET', '/plans/restart/preview');
    assert.equal(none.status, 200);
    assert.equal(none.body.hostCount, 0);
    assert.equal(none.body.skipped.length, HOSTS);
    const all = await api<{ hostCount: number; waves: Array<{ wave: number; hostIds: string[] }>; steps: unknown[] }>(
      'GET',
      '/plans/restart/preview?includeHostsDownBeforeOutage=true',
    );
    assert.equal(all.body.hostCount, HOSTS);
    assert.deepEqual(
      all.body.waves.map((w) => [w.wave, w.hostIds.length]),
      [
        [0, 10],
        [1, 10],
        [2, 10],
      ],
    );
    const refused = await api<{ message: string }>('POST', '/plans/restart', { targets: { all: true }, mode: 'armed' });
    assert.equal(refused.status, 400, JSON.stringify(refused.body));
  });

  test('power fails, the fleet is shut down, power returns: gates hold on charge and a flap, waves come back in order', async () => {
    bed.setStatus('ups1', 'OB DISCHRG');
    bed.setStatus('ups2', 'OB DISCHRG');
    await new Promise((r) => setTimeout(r, 1200));
    bed.setStatus('ups1', 'OB LB');
    bed.setStatus('ups2', 'OB LB');
    await waitFor(
      'the automatic shutdown plan',
      async () => (await db.prisma.plan.count({ where: { kind: 'SHUTDOWN' } })) === 1,
      20_000,
    );
    const shutdown = await db.prisma.plan.findFirstOrThrow({ where: { kind: 'SHUTDOWN' } });
    const down = await waitPlanDone(shutdown.id, 120_000);
    assert.equal(
      down.state,
      'SUCCEEDED',
      JSON.stringify(down.steps.filter((s) => s.state !== 'SUCCEEDED').slice(0, 3)),
    );
    for (let i = 0; i < HOSTS; i++) assert.equal(fleet.host(i).power, 'off', `host ${i} down`);

    // Power back, but UPS 1's battery is nearly empty: the battery gate must hold.
    bed.setVariables('ups1', { 'battery.charge': '20', 'battery.runtime': '30' });
    bed.setVariables('ups2', { 'battery.charge': '90', 'battery.runtime': '1200' });
    bed.setStatus('ups1', 'OL CHRG');
    bed.setStatus('ups2', 'OL CHRG');
    await waitFor(
      'the automatic restart plan',
      async () => (await db.prisma.plan.count({ where: { kind: 'RESTART' } })) === 1,
      20_000,
    );
    const restart = await db.prisma.plan.findFirstOrThrow({ where: { kind: 'RESTART' } });
    assert.equal(restart.createdBy, 'power-monitor');

    await waitFor(
      'a gate decision: power stable, battery closed',
      async () => {
        const plan = (await api<PlanView>('GET', `/plans/${restart.id}`)).body;
        return gateEvents(plan).some((e) => {
          const checks = e.data?.checks ?? [];
          return (
            checks.find((c) => c.gate === 'power-stable')?.open === true &&
            checks.find((c) => c.gate === 'battery')?.open === false
          );
        });
      },
      20_000,
    );
    await new Promise((r) => setTimeout(r, 1000));
    assert.equal(
      fleet.hosts.reduce((n, h) => n + h.wolPacketsReceived, 0),
      0,
      'no magic packet while the battery gate is closed',
    );

    // A flap on UPS 1 (it feeds wave 0) while held: the stability window starts again from its return.
    bed.setStatus('ups1', 'OB DISCHRG');
    await waitFor(
      'a gate decision: power not on line',
      async () => {
        const plan = (await api<PlanView>('GET', `/plans/${restart.id}`)).body;
        return gateEvents(plan).some((e) =>
          (e.data?.checks ?? []).some(
            (c) => c.gate === 'power-stable' && !c.open && c.reasons.some((r) => r.includes('not on line')),
          ),
        );
      },
      20_000,
    );
    bed.setStatus('ups1', 'OL CHRG');
    await waitFor(
      'ups1 back on line',
      async () => (await db.prisma.ups.findFirst({ where: { name: 'ups1' } }))?.status === 'OL CHRG',
      15_000,
      50,
    );
    const flapBackEvent = await db.prisma.powerEvent.findFirstOrThrow({
      where: { ups: { name: 'ups1' }, type: 'STATUS_CHANGE', status: 'OL CHRG' },
      orderBy: { id: 'desc' },
    });
    const flapBackAt = (flapBackEvent.observedAt ?? flapBackEvent.receivedAt).getTime();
    bed.setVariables('ups1', { 'battery.charge': '80', 'battery.runtime': '900' });

    const plan = await waitPlanDone(restart.id, 150_000);
    const steps = plan.steps;
    const hostStep = (i: number, action: string): StepRow | undefined =>
      steps.find((s) => s.hostId === hostIds[i] && s.action === action);

    // Every host that was up is back, with its VMs; the one that never boots is reported.
    for (let i = 0; i < HOSTS; i++) {
      const sim = fleet.host(i);
      if (i === NEVER_BOOTS) {
        assert.equal(sim.power, 'off');
        assert.ok(sim.wolPacketsReceived >= 3, 'it was sent its magic packets');
        const wait = hostStep(i, 'wait-ssh');
        assert.equal(wait?.state, 'FAILED');
        assert.match(wait?.error ?? '', /restart-04 did not come back/);
        assert.equal(hostStep(i, 'verify-esxi')?.state, 'SKIPPED');
        continue;
      }
      assert.equal(
        sim.power,
        'on',
        `host ${i} is back (plan ${plan.state}: ${JSON.stringify(steps.filter((s) => s.hostId === hostIds[i]).map((s) => [s.action, s.state, s.output, s.error]))})`,
      );
      assert.equal(hostStep(i, 'verify-esxi')?.state, 'SUCCEEDED', `host ${i} verified`);
      assert.match(hostStep(i, 'verify-esxi')?.output ?? '', /hostd answers/);
    }
    // The host's own autostart spaces its VMs by their start delay: give it time.
    await waitFor(
      'every VM that ran before the outage to run again',
      async () => fleet.hosts.every((sim, i) => i === NEVER_BOOTS || sim.state.vms.every((vm) => vm.power === 'on')),
      20_000,
    );
    // Wave 2 hosts do not autostart: nutfleet powered their VMs on in autostart order.
    const onOrder = fleet
      .host(25)
      .commandLog.filter((c) => c.line.includes('vmsvc/power.on'))
      .map((c) => c.argv.at(-1));
    assert.deepEqual(onOrder, ['1', '2', '3']);
    assert.equal(plan.state, 'FAILED', 'the plan reports the host that did not come back');

    // The charge and the flap held wave 0: no magic packet before UPS 1 was stable again.
    const wakes = (w: number): StepRow[] => steps.filter((s) => s.action === 'wake' && s.stage === w);
    const firstWake = Math.min(...wakes(0).map((s) => ms(s.startedAt)));
    assert.ok(
      firstWake >= flapBackAt + STABLE_SECONDS * 1000 - 300,
      `wave 0 woke ${firstWake - flapBackAt} ms after the flap ended`,
    );

    // No wave before the previous one is verified; the dead host holds wave 1 no longer than its timeout.
    for (const w of [1, 2]) {
      const previousVerified = steps
        .filter((s) => s.action === 'verify-esxi' && s.stage === w - 1 && s.state === 'SUCCEEDED')
        .map((s) => ms(s.finishedAt));
      const start = Math.min(...wakes(w).map((s) => ms(s.startedAt)));
      assert.ok(start >= Math.max(...previousVerified), `wave ${w} started after wave ${w - 1} was verified`);
    }
    const deadWokenAt = ms(hostStep(NEVER_BOOTS, 'wake')?.finishedAt ?? null);
    const wave1Start = Math.min(...wakes(1).map((s) => ms(s.startedAt)));
    assert.ok(
      wave1Start <= deadWokenAt + (HOST_TIMEOUT_SECONDS + 6) * 1000,
      'the dead host held wave 1 no longer than its timeout (+ slack)',
    );

    // The timeline holds the gate decisions: battery held, the flap, and each wave opening.
    const gates = gateEvents(plan);
    const opened = gates.filter((e) => e.data?.open === true).map((e) => e.data?.wave);
    assert.deepEqual(opened, [0, 1, 2]);
    const wave1Open = gates.find((e) => e.data?.open === true && e.data.wave === 1);
    assert.deepEqual(wave1Open?.data?.timedOutHostIds, [hostIds[NEVER_BOOTS]]);
    assert.ok(gates.some((e) => e.data?.checks?.some((c) => c.gate === 'battery' && !c.open)));
  });
});

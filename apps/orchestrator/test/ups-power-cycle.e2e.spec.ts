/**
 * The UPS power cycle once the fleet is down, end to end: the orchestrator (power monitor,
 * automatic plans, API) in this process, the worker as a real process, simulated ESXi hosts,
 * and real upsd instances.
 *
 * Driver setup, and why: the cycle must be executed by a real NUT driver, and Debian's
 * dummy-ups (2.8.0) executes no instant command (it lists only `load.off`, and TRACKING answers
 * UNKNOWN). NUT's `clone` driver (in nut-server) does: it implements `shutdown.return` and
 * `shutdown.stayoff` with its `offdelay`/`ondelay`, and switches the output by sending
 * `load.off` / `load.on` to the driver socket it sits on. That lower "hardware" is played by
 * the test bed's UpsHardwareSocket (libs/testing), which speaks the driver socket protocol and
 * really turns the output off (`OFF` joins the input token) and on. So upsd shows what a real
 * UPS would: FSD while clone counts down, then OFF, then OL once mains has been back `ondelay`.
 * clone 2.8.0 needs `load.status` set (it dereferences it unchecked on every INSTCMD and
 * segfaults without it). A plain dummy-ups UPS stands for a model without `shutdown.return`
 * (CMD-NOT-SUPPORTED), and a second upsd whose command account is the monitoring one stands for
 * an account without `instcmds` (ACCESS-DENIED). Hosts whose BIOS powers on after AC loss boot
 * when the hardware's output comes back (SimulatedHost.acPowerRestored).
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { type AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';

import { type INestApplication } from '@nestjs/common';

import { sealSecret } from '@nutfleet/db';
import {
  type AppProcess,
  createTestDatabase,
  createTestRedisPrefix,
  type EsxiFleet,
  NutTestbed,
  simulatedHostFacts,
  startAppProcess,
  startEsxiFleet,
  type TestDatabase,
  testConfig,
  type TestRedisPrefix,
  waitFor,
} from '@nutfleet/testing';

import { issueApiToken } from '../src/auth/api-token.issuer';
import { createOrchestratorApp } from '../src/orchestrator.app';
import { insertNutServer, testbedServerRow } from './support/nut-server-rows';
import { outageTestEnv } from './support/outage-fleet';

const WORKER = 'dist/apps/worker/src/main.js';
const OFF_DELAY = 2;
const ON_DELAY = 2;

interface StepRow {
  key: string;
  action: string;
  state: string;
  hostId: string | null;
  finishedAt: string | null;
  commandSentAt: string | null;
  output: string | null;
  error: string | null;
}
interface PlanView {
  id: string;
  state: string;
  steps: StepRow[];
  events: Array<{ type: string; data: Record<string, unknown> | null }>;
}

// Hosts: 0 and 1 on `cyc` (they power on after AC loss), 2 on `mixed`, 3 on `mixed` + `spare`
// (it keeps a healthy supply: the plan leaves it running), 4 on `plain` (no shutdown.return),
// 5 on `denied` (second upsd, the account may not run instant commands).
const FEEDS: ReadonlyArray<{ bed: 'main' | 'second'; upses: string[]; minSupplies: number }> = [
  { bed: 'main', upses: ['cyc'], minSupplies: 1 },
  { bed: 'main', upses: ['cyc'], minSupplies: 1 },
  { bed: 'main', upses: ['mixed'], minSupplies: 1 },
  { bed: 'main', upses: ['mixed', 'spare'], minSupplies: 1 },
  { bed: 'main', upses: ['plain'], minSupplies: 1 },
  { bed: 'second', upses: ['denied'], minSupplies: 1 },
];

describe('UPS power cycle once the fleet is down', { timeout: 400_000 }, () => {
  let db: TestDatabase;
  let redis: TestRedisPrefix;
  let bed: NutTestbed;
  let second: NutTestbed;
  let fleet: EsxiFleet;
  let app: INestApplication;
  let worker: AppProcess | undefined;
  let base = '';
  let admin = '';
  let policyId = '';
  const hostIds: string[] = [];
  const hostNames: string[] = [];

  async function api<T>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
    const response = await fetch(`${base}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${admin}`,
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    return { status: response.status, body: (await response.json()) as T };
  }

  async function waitPlan(planId: string, done: (plan: PlanView) => boolean, what: string, ms = 90_000) {
    let plan: PlanView | undefined;
    try {
      await waitFor(
        what,
        async () => {
          plan = (await api<PlanView>('GET', `/plans/${planId}`)).body;
          return done(plan);
        },
        ms,
        250,
      );
    } catch (error) {
      throw new Error(
        `${String(error)}; ${plan?.state}: ${JSON.stringify(plan?.steps.filter((s) => s.state !== 'SUCCEEDED').map((s) => [s.key, s.state, s.output, s.error]))}\nworker: ${worker?.output().slice(-3000) ?? ''}`,
      );
    }
    return plan as PlanView;
  }

  const finished = (plan: PlanView): boolean => plan.state !== 'PENDING' && plan.state !== 'RUNNING';
  const cycleStep = (plan: PlanView, upsId: string): StepRow | undefined =>
    plan.steps.find((s) => s.key === `ups:${upsId}:power-cycle`);
  const cycleEvents = (plan: PlanView, event: string) => plan.events.filter((e) => e.data?.event === event);
  let upsIds: Record<string, string> = {};

  before(async () => {
    [db, bed, second, fleet] = await Promise.all([
      createTestDatabase(),
      NutTestbed.start({
        upses: [
          { name: 'cyc', powerCycle: { offDelaySec: OFF_DELAY, onDelaySec: ON_DELAY } },
          { name: 'mixed', powerCycle: { offDelaySec: OFF_DELAY, onDelaySec: ON_DELAY } },
          { name: 'spare' },
          { name: 'plain' },
        ],
      }),
      NutTestbed.start({ upses: [{ name: 'denied', powerCycle: { offDelaySec: OFF_DELAY, onDelaySec: ON_DELAY } }] }),
      startEsxiFleet({ hosts: FEEDS.length, seed: 'power-cycle-e2e', msPerSecond: 20, defaults: { bootDelayMs: 300 } }),
    ]);
    redis = createTestRedisPrefix();
    const env = outageTestEnv(db, redis, { POWER_MONITOR_POLL_INTERVAL_MS: '300', RESTART_HOST_TIMEOUT_SECONDS: '20' });
    const config = testConfig(env);
    admin = (await db.prisma.$transaction((tx) => issueApiToken(tx, { name: 'cycle-admin', role: 'admin' }))).token;
    const main = await insertNutServer(db.prisma, config.secretKey, testbedServerRow(bed, 'nut-main'));
    const other = await insertNutServer(db.prisma, config.secretKey, testbedServerRow(second, 'nut-second'));
    upsIds = {
      cyc: main.upsId('cyc'),
      mixed: main.upsId('mixed'),
      spare: main.upsId('spare'),
      plain: main.upsId('plain'),
      denied: other.upsId('denied'),
    };
    const policy = await db.prisma.policy.create({
      data: {
        name: 'power-cycle-e2e',
        onBatterySeconds: 3600,
        pointOfNoReturnSeconds: 1,
        powerBackConfirmSeconds: 1,
        restartStableSeconds: 3,
        restartMinChargePercent: 50,
      },
    });
    policyId = policy.id;
    for (const [i, spec] of FEEDS.entries()) {
      const sim = fleet.host(i);
      const id = randomUUID();
      const name = `cycle-${i}`;
      await db.prisma.host.create({
        data: {
          id,
          name,
          address: sim.address,
          sshPort: sim.port,
          username: sim.username,
          passwordEnc: sealSecret(sim.password, config.secretKey, `host:${id}:password`),
          hostKeyFingerprint: sim.fingerprint,
          trustState: 'TRUSTED',
          macAddresses: [sim.mac],
          wolBroadcast: fleet.wolAddress,
          wolPort: fleet.wolPort,
          minSupplies: spec.minSupplies,
          policyId: policy.id,
          facts: simulatedHostFacts(sim),
          feeds: {
            create: spec.upses.map((ups) => ({ upsId: upsIds[ups] ?? '', powerValue: 1 })),
          },
        },
      });
      hostIds.push(id);
      hostNames.push(name);
    }
    // The load behind `cyc` feels its output: off cuts the hosts, on restarts those set to
    // power on after AC loss (both of its hosts).
    bed.hardware('cyc').onOutput((powered) => {
      for (const i of [0, 1]) {
        if (powered) fleet.host(i).acPowerRestored();
        else void fleet.host(i).cutPower();
      }
    });

    app = await createOrchestratorApp(config);
    await app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
    worker = startAppProcess(WORKER, { ...env, LOG_LEVEL: 'info' });
    await worker.waitForOutput(/worker started/, 30_000);

    // Through the API, as an admin would: the action per UPS and each server's command account.
    for (const ups of ['cyc', 'mixed', 'plain', 'denied']) {
      const set = await api('PUT', `/upses/${upsIds[ups]}/power-cycle`, { action: 'shutdown.return' });
      assert.equal(set.status, 200, JSON.stringify(set.body));
    }
    const accounts = [
      [main.serverId, bed.operator],
      [other.serverId, second.monitor],
    ] as const;
    for (const [serverId, account] of accounts) {
      const patched = await api('PATCH', `/nut-servers/${serverId}`, {
        commandUsername: account.username,
        commandPassword: account.password,
      });
      assert.equal(patched.status, 200, JSON.stringify(patched.body));
    }
  });

  after(async () => {
    worker?.child.kill('SIGKILL');
    await app?.close();
    await Promise.all([fleet?.stop(), bed?.stop(), second?.stop()]);
    await redis?.cleanup();
    await db?.drop();
  });

  test('the test action names what is wrong before any outage', async () => {
    const plain = await api<{ ok: boolean; error?: { code: string } }>(
      'POST',
      `/upses/${upsIds.plain}/power-cycle/test`,
    );
    assert.equal(plain.body.error?.code, 'CMD-NOT-SUPPORTED');
    const denied = await api<{ ok: boolean; error?: { code: string } }>(
      'POST',
      `/upses/${upsIds.denied}/power-cycle/test`,
    );
    assert.equal(denied.body.error?.code, 'ACCESS-DENIED');
    const cyc = await api<{ ok: boolean }>('POST', `/upses/${upsIds.cyc}/power-cycle/test`);
    assert.equal(cyc.body.ok, true);
  });

  test('the preview shows each cycle with its timing, the hosts it may boot and what would cut power first', async () => {
    // A NUT primary with a 1 s HOSTSYNC would kill `plain` long before its host is down.
    const set = await api('PUT', `/upses/${upsIds.plain}/power-cycle`, {
      action: 'shutdown.return',
      nutPrimaryHostSyncSeconds: 1,
    });
    assert.equal(set.status, 200);
    const preview = await api<{
      powerCycles: Array<{
        ups: string;
        timing: string;
        hostNames: string[];
        hostsItMayBoot: string[];
        warnings: string[];
      }>;
    }>('GET', `/plans/shutdown/preview?hosts=${[0, 1, 2, 4].map((i) => hostNames[i]).join(',')}`);
    assert.equal(preview.status, 200, JSON.stringify(preview.body));
    const byUps = new Map(preview.body.powerCycles.map((c) => [c.ups, c]));
    assert.deepEqual([...byUps.keys()].sort(), ['cyc@nut-main', 'mixed@nut-main', 'plain@nut-main']);
    const cyc = byUps.get('cyc@nut-main');
    assert.deepEqual(cyc?.hostNames, ['cycle-0', 'cycle-1']);
    assert.deepEqual(cyc?.hostsItMayBoot, ['cycle-0', 'cycle-1']);
    // clone reports ups.delay.shutdown: the preview says when the output goes off.
    assert.match(cyc?.timing ?? '', /shutdown\.return on cyc@nut-main once the last host is down .*output off at/);
    assert.match(
      byUps.get('mixed@nut-main')?.warnings.join(' ') ?? '',
      /also feeds cycle-3, which this plan leaves running/,
    );
    assert.match(byUps.get('plain@nut-main')?.warnings.join(' ') ?? '', /HOSTSYNC 1 s would cut power/);
  });

  test('dry run: the cycle is reported, never sent', async () => {
    const created = await api<PlanView>('POST', '/plans/shutdown', {
      targets: { hosts: [hostNames[0], hostNames[1]] },
      mode: 'dry-run',
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const plan = await waitPlan(created.body.id, finished, 'the dry run to finish');
    const step = cycleStep(plan, upsIds.cyc ?? '');
    assert.equal(step?.state, 'SKIPPED');
    assert.match(
      step?.output ?? '',
      /dry-run: would send shutdown\.return to cyc@nut-main once cycle-0, cycle-1 are down/,
    );
    assert.equal(step?.commandSentAt, null);
    assert.deepEqual(bed.hardware('cyc').commands, []);
    for (const i of [0, 1]) assert.equal(fleet.host(i).power, 'on');
  });

  test('outage: sent once after the last host is down, OFF then OL, the rest held or refused, hosts back without a second wake', async () => {
    for (const ups of ['cyc', 'mixed', 'plain']) bed.setStatus(ups, 'OB LB');
    second.setStatus('denied', 'OB LB');
    await waitFor(
      'the automatic shutdown plan',
      async () => (await db.prisma.plan.count({ where: { kind: 'SHUTDOWN', mode: 'ARMED' } })) === 1,
      20_000,
    );
    const { id: planId } = await db.prisma.plan.findFirstOrThrow({ where: { kind: 'SHUTDOWN', mode: 'ARMED' } });
    const plan = await waitPlan(planId, finished, 'the shutdown plan to finish', 120_000);

    // Every host the plan took is down: the plan carried on whatever the UPSes answered.
    const powerOffs = plan.steps.filter((s) => s.action === 'host-power-off');
    assert.deepEqual(
      powerOffs.map((s) => s.state),
      powerOffs.map(() => 'SUCCEEDED'),
    );
    assert.ok(!powerOffs.some((s) => s.hostId === hostIds[3]), 'host 3 keeps a healthy supply');
    assert.equal(fleet.host(3).power, 'on');

    // cyc: sent once, after both hosts it feeds were down.
    const cyc = cycleStep(plan, upsIds.cyc ?? '');
    assert.equal(cyc?.state, 'SUCCEEDED', JSON.stringify(cyc));
    assert.match(cyc?.output ?? '', /shutdown\.return sent \(INSTCMD shutdown\.return: SUCCESS\)/);
    const lastDown = Math.max(
      ...powerOffs
        .filter((s) => s.hostId === hostIds[0] || s.hostId === hostIds[1])
        .map((s) => Date.parse(s.finishedAt ?? '')),
    );
    assert.ok(Date.parse(cyc?.commandSentAt ?? '') >= lastDown, 'the command left after the last host was down');
    assert.equal(cycleEvents(plan, 'ups-power-cycle-sent').length, 1);

    // upsd shows the output going off through the driver…
    await bed.waitForVariable('cyc', 'ups.status', (s) => s.split(' ').includes('OFF'), 15_000);
    // mixed: never, naming the host it would cut.
    const mixed = cycleStep(plan, upsIds.mixed ?? '');
    assert.equal(mixed?.state, 'SKIPPED');
    assert.match(mixed?.output ?? '', /also feeds hosts the plan leaves running \(cycle-3\)/);
    assert.deepEqual(bed.hardware('mixed').commands, []);
    // plain and denied: refused, each an event in the timeline with the NUT code.
    const failed = cycleEvents(plan, 'ups-power-cycle-failed').map((e) => e.data?.code);
    assert.deepEqual(failed.sort(), ['ACCESS-DENIED', 'CMD-NOT-SUPPORTED']);
    assert.equal(cycleStep(plan, upsIds.plain ?? '')?.state, 'FAILED');
    assert.match(cycleStep(plan, upsIds.denied ?? '')?.error ?? '', /ACCESS-DENIED/);
    assert.deepEqual(second.hardware('denied').commands, []);

    // …and back on once mains has been back for ondelay; hosts 0 and 1 boot by themselves.
    for (const ups of ['cyc', 'mixed', 'plain', 'spare']) bed.setVariables(ups, { 'battery.charge': '90' });
    second.setVariables('denied', { 'battery.charge': '90' });
    for (const ups of ['cyc', 'mixed', 'plain']) bed.setStatus(ups, 'OL CHRG');
    second.setStatus('denied', 'OL CHRG');
    await bed.waitForVariable('cyc', 'ups.status', 'OL CHRG', 20_000);
    assert.deepEqual(
      bed.hardware('cyc').commands.map((c) => c.command),
      ['load.off', 'load.on'],
    );
    await waitFor(
      'hosts 0 and 1 to boot after the cycle',
      async () => [0, 1].every((i) => fleet.host(i).power === 'on'),
      20_000,
    );

    // The restart verifies them without a magic packet and wakes the others.
    await waitFor(
      'the automatic restart plan',
      async () => (await db.prisma.plan.count({ where: { kind: 'RESTART' } })) === 1,
      30_000,
    );
    const { id: restartId } = await db.prisma.plan.findFirstOrThrow({ where: { kind: 'RESTART' } });
    const restart = await waitPlan(restartId, finished, 'the restart plan to finish', 120_000);
    for (const i of [0, 1]) {
      const steps = restart.steps.filter((s) => s.hostId === hostIds[i]);
      assert.match(steps.find((s) => s.action === 'wake')?.output ?? '', /already answers over SSH/);
      assert.equal(steps.find((s) => s.action === 'verify-esxi')?.state, 'SUCCEEDED');
      assert.equal(fleet.host(i).wolPacketsReceived, 0, `host ${i} was not woken twice`);
    }
    for (const i of [2, 4, 5]) {
      assert.equal(fleet.host(i).power, 'on', `host ${i} woken`);
      assert.ok(fleet.host(i).wolPacketsReceived > 0);
    }
    assert.equal(bed.hardware('cyc').commands.length, 2, 'still exactly one cycle');
  });

  test('power back before the point of no return: the cycle is cancelled with the plan, never sent', async () => {
    await db.prisma.policy.update({ where: { id: policyId }, data: { pointOfNoReturnSeconds: 3600 } });
    const before = await db.prisma.plan.count({ where: { kind: 'SHUTDOWN', mode: 'ARMED' } });
    for (const ups of ['cyc', 'mixed', 'plain']) bed.setStatus(ups, 'OB LB');
    await waitFor(
      'a second automatic shutdown plan',
      async () => (await db.prisma.plan.count({ where: { kind: 'SHUTDOWN', mode: 'ARMED' } })) === before + 1,
      20_000,
    );
    const { id: planId } = await db.prisma.plan.findFirstOrThrow({
      where: { kind: 'SHUTDOWN', mode: 'ARMED' },
      orderBy: { createdAt: 'desc' },
    });
    for (const ups of ['cyc', 'mixed', 'plain']) bed.setStatus(ups, 'OL CHRG');
    const plan = await waitPlan(planId, finished, 'the plan to be cancelled', 60_000);
    assert.equal(plan.state, 'CANCELLED');
    assert.equal(cycleStep(plan, upsIds.cyc ?? '')?.state, 'CANCELLED');
    assert.equal(cycleStep(plan, upsIds.cyc ?? '')?.commandSentAt, null);
    assert.equal(bed.hardware('cyc').commands.length, 2, 'no second cycle');
  });
});

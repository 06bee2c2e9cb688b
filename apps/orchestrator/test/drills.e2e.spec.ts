/**
 * Drills end to end against simulated ESXi hosts over real SSH on loopback: the orchestrator (API,
 * drill supervisor, restart gates) and the worker in this process. A rehearsal of a demo group
 * and a live drill of a small test group end in reports whose per-host figures are checked
 * against each simulator's own command and power logs; hosts outside the group are untouched.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { type INestApplicationContext } from '@nestjs/common';

import { type DrillReport, type DrillStepReport } from '@nutfleet/plan';
import { type EsxiFleet, type SimulatedHost, startEsxiFleet, waitFor } from '@nutfleet/testing';

import { createWorkerApp } from '../../worker/src/worker.app';
import { OrchestratorPlanStore } from '../src/plan-store/plan-store.module';
import { type ApiTestApp, startApiTestApp } from './support/api-test-app';
import { DRILL_TEST_ENV, insertDrillHost } from './support/drill-hosts';
import { stateChangingCommands } from './support/outage-fleet';

const DEMO = [0, 1, 2, 3]; // group demo-rehearsal
const LIVE = [4, 5]; // group drill-lab
const OUTSIDE = 6; // group production: never drilled
const YIELDING = [7, 8]; // group drill-yield: a live drill a real outage interrupts
/** A command's timestamp and the step's recorded start/end come from the same clock; allow rounding. */
const SLACK_MS = 5;

interface DrillView {
  id: string;
  state: string;
  error: string | null;
  yieldedTo: string | null;
  shutdownPlanId: string | null;
  restartPlanId: string | null;
  reportReady: boolean;
}

describe(
  'drills: a rehearsal and a live drill end in reports matching the simulators’ logs',
  { timeout: 180_000 },
  () => {
    let api: ApiTestApp;
    let worker: INestApplicationContext;
    let fleet: EsxiFleet;
    const ids = new Map<number, string>();

    async function addHost(i: number, groupId: string): Promise<void> {
      ids.set(i, await insertDrillHost(api.db.prisma, api.config.secretKey, fleet, i, groupId));
    }

    async function waitDrill(id: string, timeoutMs: number): Promise<DrillView> {
      let drill: DrillView | undefined;
      await waitFor(
        `drill ${id} to end`,
        async () => {
          drill = (await api.call<DrillView>('GET', `/drills/${id}`, { token: api.tokens.viewer })).body;
          return drill.state !== 'RUNNING';
        },
        timeoutMs,
        200,
      );
      return drill as DrillView;
    }

    const report = async (id: string): Promise<DrillReport> =>
      (await api.call<DrillReport>('GET', `/drills/${id}/report`, { token: api.tokens.viewer })).body;
    const ms = (iso: string | null): number => (iso === null ? Number.NaN : Date.parse(iso));
    const within = (at: number, s: DrillStepReport): boolean =>
      at >= ms(s.startedAt) - SLACK_MS && at <= ms(s.finishedAt) + SLACK_MS;

    /** The first command of the simulator matching `re` at or after `since`. */
    function commandAt(sim: SimulatedHost, re: RegExp, since: number): number | undefined {
      return sim.commandLog.find((c) => c.at >= since - SLACK_MS && re.test(c.argv.join(' ')))?.at;
    }

    before(async () => {
      api = await startApiTestApp({ ...DRILL_TEST_ENV });
      worker = await createWorkerApp(api.config);
      fleet = await startEsxiFleet({
        hosts: 9,
        seed: 'drills-e2e',
        msPerSecond: 50,
        profileFor: (i) => ({
          bootDelayMs: 300,
          vms: [
            { name: `app-${i}`, guestShutdownMs: YIELDING.includes(i) ? 4000 : 100 },
            { name: `db-${i}`, guestShutdownMs: YIELDING.includes(i) ? 4000 : 100 },
          ],
        }),
      });
      const group = async (name: string): Promise<string> =>
        (await api.db.prisma.hostGroup.create({ data: { name } })).id;
      const [demo, lab, production, yielding] = await Promise.all(
        ['demo-rehearsal', 'drill-lab', 'production', 'drill-yield'].map(group),
      );
      for (const i of DEMO) await addHost(i, demo as string);
      for (const i of LIVE) await addHost(i, lab as string);
      await addHost(OUTSIDE, production as string);
      for (const i of YIELDING) await addHost(i, yielding as string);
    });

    after(async () => {
      await worker?.close();
      await fleet?.stop();
      await api?.close();
    });

    test('a rehearsal of the demo group: every step timed over real SSH, each window holding its own read-only command', async () => {
      const started = Date.now();
      const start = await api.call<DrillView>('POST', '/drills', {
        token: api.tokens.operator,
        body: { kind: 'rehearsal', group: 'demo-rehearsal' },
      });
      assert.equal(start.status, 201, start.text);
      const drill = await waitDrill(start.body.id, 60_000);
      assert.equal(drill.state, 'SUCCEEDED', drill.error ?? '');
      const r = await report(drill.id);
      assert.equal(r.kind, 'rehearsal');
      assert.deepEqual(r.summary, { hosts: 4, ok: 4, failed: 0, notRun: 0, slower: 0, woken: null });
      for (const i of DEMO) {
        const sim = fleet.host(i);
        const host = r.hosts.find((h) => h.hostId === ids.get(i));
        assert.ok(host, `host ${i} in the report`);
        assert.deepEqual(stateChangingCommands(sim), [], 'a rehearsal changes nothing');
        assert.equal(host.steps.length, 3, 'two VM steps and the host step');
        for (const step of host.steps) {
          assert.equal(step.state, 'SUCCEEDED');
          assert.ok(step.predictedSeconds !== null && step.predictedSeconds > 0, 'the plan’s prediction is reported');
          assert.equal(step.verdict, 'fits');
          assert.equal(step.measuredSeconds, (ms(step.finishedAt) - ms(step.startedAt)) / 1000);
          // Each step's measured window holds the simulator's record of the command it sent.
          const vmId = step.action === 'vm-stop' ? sim.state.vms.find((v) => v.name === step.vm)?.id : undefined;
          const re = step.action === 'vm-stop' ? new RegExp(`vmsvc/power\\.getstate ${vmId}$`) : /vmsvc\/getallvms/;
          const at = commandAt(sim, re, started);
          assert.ok(
            at !== undefined && within(at, step),
            `${step.key}: command at ${at} in ${step.startedAt}–${step.finishedAt}`,
          );
        }
        // The host's span: first step start to last step end, and it covers all the host's commands.
        const drillCommands = sim.commandLog.filter((c) => c.at >= started).map((c) => c.at);
        assert.ok(drillCommands.length >= 3);
        assert.ok(Math.min(...drillCommands) >= ms(host.shutdown.startedAt) - SLACK_MS);
        assert.ok(Math.max(...drillCommands) <= ms(host.shutdown.finishedAt) + SLACK_MS);
        assert.equal(
          host.shutdown.measuredSeconds,
          (ms(host.shutdown.finishedAt) - ms(host.shutdown.startedAt)) / 1000,
        );
      }
      const outside = fleet.host(OUTSIDE).commandLog.filter((c) => c.at >= started);
      assert.deepEqual(outside, [], 'no command to a host outside the group');
      const html = await api.call<string>('GET', `/drills/${drill.id}/report?format=html`, {
        token: api.tokens.viewer,
      });
      assert.equal(html.status, 200);
      assert.match(html.headers.get('content-type') ?? '', /text\/html/);
      assert.match(html.text, /Rehearsal of demo-rehearsal — SUCCEEDED/);
      for (const i of DEMO) assert.ok(html.text.includes(`drill-${i}`));
    });

    test('a live drill is refused without the typed group name, for a host outside the group, and for a viewer', async () => {
      const post = (token: string, body: unknown): ReturnType<ApiTestApp['call']> =>
        api.call('POST', '/drills', { token, body });
      const none = await post(api.tokens.operator, { kind: 'live', group: 'drill-lab' });
      assert.equal(none.status, 400);
      assert.match(none.text, /confirm/);
      const wrong = await post(api.tokens.operator, { kind: 'live', group: 'drill-lab', confirm: 'production' });
      assert.equal(wrong.status, 400);
      const outside = await post(api.tokens.operator, {
        kind: 'live',
        group: 'drill-lab',
        hosts: ['drill-4', `drill-${OUTSIDE}`],
        confirm: 'drill-lab',
      });
      assert.equal(outside.status, 400);
      assert.match(outside.text, new RegExp(`drill-${OUTSIDE}`));
      assert.equal(
        (await post(api.tokens.viewer, { kind: 'live', group: 'drill-lab', confirm: 'drill-lab' })).status,
        403,
      );
      assert.equal(await api.db.prisma.plan.count({ where: { mode: 'ARMED' } }), 0, 'no refused request made a plan');
    });

    test('a live drill of two hosts: powered off, woken by Wake-on-LAN, verified; the report matches the logs', async () => {
      const started = Date.now();
      const start = await api.call<DrillView>('POST', '/drills', {
        token: api.tokens.operator,
        body: { kind: 'live', group: 'drill-lab', confirm: 'drill-lab' },
      });
      assert.equal(start.status, 201, start.text);
      const drill = await waitDrill(start.body.id, 90_000);
      assert.equal(drill.state, 'SUCCEEDED', drill.error ?? '');
      assert.ok(drill.restartPlanId !== null);
      const r = await report(drill.id);
      assert.deepEqual(r.summary, { hosts: 2, ok: 2, failed: 0, notRun: 0, slower: r.summary.slower, woken: 2 });
      for (const i of LIVE) {
        const sim = fleet.host(i);
        const host = r.hosts.find((h) => h.hostId === ids.get(i));
        assert.ok(host);
        assert.equal(sim.power, 'on', 'the host is back');
        const off = host.steps.find((s) => s.action === 'host-power-off');
        const wake = host.steps.find((s) => s.action === 'wake');
        const verify = host.steps.find((s) => s.action === 'verify-esxi');
        assert.ok(off && wake && verify);
        const poweroff = commandAt(sim, /^poweroff\b/, started);
        assert.ok(
          poweroff !== undefined && within(poweroff, off),
          `poweroff at ${poweroff} in ${off.startedAt}–${off.finishedAt}`,
        );
        for (const vm of host.steps.filter((s) => s.action === 'vm-stop')) {
          const vmId = sim.state.vms.find((v) => v.name === vm.vm)?.id;
          const at = commandAt(sim, new RegExp(`vmsvc/power\\.shutdown ${vmId}$`), started);
          assert.ok(at !== undefined && within(at, vm), `${vm.key}: guest shutdown inside its window`);
        }
        const packet = sim.state.powerLog.find((e) => e.event === 'magic-packet' && e.at >= started);
        const booted = sim.state.powerLog.find((e) => e.event === 'booted' && e.at >= started);
        assert.ok(packet && booted, JSON.stringify(sim.state.powerLog));
        assert.ok(within(packet.at, wake), `magic packet at ${packet.at} in ${wake.startedAt}–${wake.finishedAt}`);
        assert.ok(host.wake?.verified === true);
        assert.ok(ms(host.wake.verifiedAt) >= booted.at, 'verified only after the simulator booted');
        assert.ok(host.wake.secondsToVerified !== null && host.wake.secondsToVerified > 0);
      }
      const outside = fleet.host(OUTSIDE);
      assert.deepEqual(stateChangingCommands(outside), []);
      assert.equal(outside.wolPacketsReceived, 0);
      for (const i of [...DEMO, OUTSIDE]) assert.equal(fleet.host(i).power, 'on');
      // The drill's verified wake is what readiness's WOL_PROVEN reads.
      const woken = await api.app.get(OrchestratorPlanStore).reads.lastWokenAt(LIVE.map((i) => ids.get(i) as string));
      assert.equal(woken.size, 2);
      const list = await api.call<DrillView[]>('GET', '/drills', { token: api.tokens.viewer });
      assert.deepEqual(
        list.body.map((d) => d.state),
        ['SUCCEEDED', 'SUCCEEDED'],
      );
    });

    test('a real outage wins: a live drill yields (no wake), and no drill starts while it is open', async () => {
      const start = await api.call<DrillView>('POST', '/drills', {
        token: api.tokens.admin,
        body: { kind: 'live', group: 'drill-yield', confirm: 'drill-yield' },
      });
      assert.equal(start.status, 201, start.text);
      // The guests take 4 s to shut down: the outage begins while the drill's VM steps run.
      await waitFor(
        'the drill’s first guest shutdown',
        async () => YIELDING.some((i) => fleet.host(i).commandLog.some((c) => /power\.shutdown/.test(c.line))),
        20_000,
        50,
      );
      const outage = await api.db.prisma.outage.create({ data: { openedAt: new Date() } });
      const refused = await api.call('POST', '/drills', {
        token: api.tokens.operator,
        body: { kind: 'rehearsal', group: 'demo-rehearsal' },
      });
      assert.equal(refused.status, 409);
      assert.match(refused.text, /outage/);
      const drill = await waitDrill(start.body.id, 30_000);
      assert.equal(drill.state, 'YIELDED');
      assert.equal(drill.yieldedTo, outage.id);
      assert.equal(drill.restartPlanId, null, 'no restart plan: nothing is woken during an outage');
      const r = await report(drill.id);
      const problems = r.hosts.flatMap((h) => h.failures.map((f) => f.why)).join('\n');
      assert.match(problems, /cancelled: a real outage .* began: the drill yields to it/);
      for (const i of YIELDING) {
        assert.equal(fleet.host(i).wolPacketsReceived, 0);
        assert.deepEqual(
          fleet.host(i).commandLog.filter((c) => /^poweroff\b/.test(c.line)),
          [],
          'the host step never started',
        );
      }
      await api.db.prisma.outage.update({ where: { id: outage.id }, data: { state: 'CLOSED', closedAt: new Date() } });
    });
  },
);

/**
 * A plan's report against what really happened: an armed shutdown of 4 simulated hosts (one
 * refusing SSH logins, one with a VM that never stops, one named like an attack), a real upsd
 * on battery meanwhile, the worker as a real process. The report's per-step times must frame the
 * simulator's own command log, its failures must be the injected ones with their fixes, its page
 * must escape every name, the end-of-plan notification must carry its link, and the next plan of
 * these hosts must predict from what this one measured, saying so.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { type EsxiFleet, type NutTestbed, type TestDatabase, waitFor } from '@nutfleet/testing';

import { HttpReceiver } from './support/http-receiver';
import { insertOutageHost, poweroffTimes } from './support/outage-fleet';
import { OutageRig } from './support/outage-rig';

const PUBLIC_URL = 'https://nutfleet.example.test/ops';
const EVIL = '<script>alert(1)</script>';

interface ReportStep {
  key: string;
  action: string;
  state: string;
  startedAt: string | null;
  finishedAt: string | null;
  actualSeconds: number | null;
  predictionSource: { kind: string; planId?: string; text: string } | null;
}
interface Report {
  state: string;
  ended: boolean;
  hosts: Array<{
    hostId: string;
    hostName: string;
    outcome: string;
    actualSeconds: number | null;
    steps: ReportStep[];
  }>;
  failures: Array<{ hostName: string; stepKey: string; cause: string; fix: string }>;
  fixes: Array<{ cause: string; targets: string[] }>;
  battery: Array<{
    upsName: string;
    samples: number;
    start: { chargePercent: number | null } | null;
    end: { chargePercent: number | null } | null;
    chargeUsedPercent: number | null;
  }>;
  timeline: Array<{ text: string }>;
}

describe('plan reports: an armed shutdown against the simulator', { timeout: 240_000 }, () => {
  let rig: OutageRig;
  let db: TestDatabase;
  let bed: NutTestbed;
  let fleet: EsxiFleet;
  let receiver: HttpReceiver;
  let base = '';
  const tokens = { admin: '', viewer: '' };
  const hostIds: string[] = [];
  let planId = '';
  let report: Report;

  async function call(path: string, token = tokens.admin, init: RequestInit = {}): Promise<Response> {
    return fetch(`${base}${path}`, {
      ...init,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...init.headers },
    });
  }

  before(async () => {
    [rig, receiver] = await Promise.all([
      OutageRig.start({
        upses: 1,
        fleet: {
          hosts: 4,
          seed: 'plan-report-e2e',
          msPerSecond: 50,
          profileFor: (i) =>
            i === 0
              ? {
                  vms: [
                    { name: EVIL, guestOs: 'debian11_64Guest', autostart: { startOrder: 1, startAction: 'powerOn' } },
                  ],
                }
              : {},
        },
        env: { PUBLIC_URL, NOTIFY_DISPATCH_INTERVAL_MS: '250' },
      }),
      HttpReceiver.start(),
    ]);
    ({ db, bed, fleet } = rig);
    for (const role of ['admin', 'viewer'] as const) tokens[role] = await rig.token(`r-${role}`, role);
    for (let i = 0; i < 4; i++)
      hostIds.push(
        await insertOutageHost(db.prisma, rig.config.secretKey, fleet.host(i), {
          stage: 0,
          minSupplies: 1,
          upsIds: [rig.nut.upsId('ups1')],
        }),
      );
    await db.prisma.host.update({ where: { id: hostIds[0] }, data: { name: `esx${EVIL}` } });
    // Short ladders: the VM that never stops fails in seconds, not minutes.
    await db.prisma.policy.updateMany({
      where: { isDefault: true },
      data: { vmGuestShutdownTimeoutSecs: 2, vmPowerOffTimeoutSecs: 2, vmSuspendTimeoutSecs: 2 },
    });
    // Before the worker starts: no warm session may predate the refused logins.
    fleet.injectFault(2, { kind: 'auth-failure' });
    fleet.injectFault(3, { kind: 'vm-never-stops', vmId: 1, ignoresPowerOff: true });
    await rig.startProcesses();
    base = rig.base;
    const channel = await call('/notifications/channels', tokens.admin, {
      method: 'POST',
      body: JSON.stringify({
        name: 'reports',
        kind: 'WEBHOOK',
        webhookUrl: `${receiver.base}/hook`,
        routes: [{ eventTypes: ['plan.succeeded', 'plan.failed'], minSeverity: 'INFO' }],
      }),
    });
    assert.equal(channel.status, 201, await channel.text());
  });

  after(async () => {
    await Promise.all([rig?.stop(), receiver?.close()]);
  });

  test('the armed shutdown runs with the injected faults while the UPS is on battery', async () => {
    bed.setVariables('ups1', { 'battery.charge': '90', 'battery.runtime': '1800' });
    bed.setStatus('ups1', 'OB DISCHRG');
    await waitFor(
      'a sample at 90 % on battery',
      async () => (await db.prisma.upsSample.count({ where: { charge: 90 } })) > 0,
      15_000,
    );
    const created = await call('/plans/shutdown', tokens.admin, {
      method: 'POST',
      body: JSON.stringify({ targets: { hosts: hostIds }, mode: 'armed', reason: `report test ${EVIL}` }),
    });
    assert.equal(created.status, 201);
    planId = ((await created.json()) as { id: string }).id;
    setTimeout(() => bed.setVariables('ups1', { 'battery.charge': '80', 'battery.runtime': '1500' }), 1500);
    await waitFor(
      'the plan to end',
      async () => {
        const plan = (await (await call(`/plans/${planId}`)).json()) as { state: string };
        return plan.state !== 'PENDING' && plan.state !== 'RUNNING';
      },
      120_000,
      250,
    );
    bed.setStatus('ups1', 'OL');
    const response = await call(`/plans/${planId}/report`, tokens.viewer);
    assert.equal(response.status, 200);
    report = (await response.json()) as Report;
    assert.equal(report.ended, true);
    assert.equal(report.state, 'FAILED');
  });

  test("each step's times frame the command the simulator logged for it; durations are the step's own", async () => {
    const plan = (await (await call(`/plans/${planId}`)).json()) as {
      steps: Array<{ key: string; startedAt: string | null; finishedAt: string | null }>;
    };
    const byKey = new Map(plan.steps.map((s) => [s.key, s]));
    for (const i of [0, 1]) {
      const host = report.hosts.find((h) => h.hostId === hostIds[i]);
      assert.equal(host?.outcome, 'succeeded', JSON.stringify(host));
      const sim = fleet.host(i);
      for (const step of host?.steps ?? []) {
        const from = Date.parse(step.startedAt ?? '');
        const to = Date.parse(step.finishedAt ?? '');
        const recorded = byKey.get(step.key);
        assert.ok(
          Math.abs((step.actualSeconds ?? -1) - (to - from) / 1000) <= 0.051,
          `${step.key}: ${step.actualSeconds}`,
        );
        assert.equal(step.startedAt, recorded?.startedAt);
        const vmId = /:vm:([^:]+):stop$/.exec(step.key)?.[1];
        const command =
          step.action === 'host-power-off'
            ? poweroffTimes(sim)
            : sim.commandLog
                .filter((c) =>
                  c.argvs.some((a) => /^vmsvc\/power\.(shutdown|off|suspend)$/.test(a[1] ?? '') && a[2] === vmId),
                )
                .map((c) => c.at);
        assert.ok(command.length > 0, `${step.key}: no command logged`);
        for (const at of command)
          assert.ok(at >= from && at <= to, `${step.key}: command at ${at} outside ${from}–${to}`);
      }
      const first = Math.min(...(host?.steps ?? []).map((s) => Date.parse(s.startedAt ?? '')));
      const poweroff = poweroffTimes(sim)[0] ?? 0;
      assert.ok((host?.actualSeconds ?? 0) >= (poweroff - first) / 1000 - 0.1, 'the host span covers its poweroff');
    }
  });

  test('the failures are the injected ones, each with its cause and fix', () => {
    const causesOf = (i: number): string[] =>
      report.failures.filter((f) => f.stepKey.startsWith(`host:${hostIds[i]}:`)).map((f) => f.cause);
    assert.ok(causesOf(2).length > 0 && causesOf(2).every((c) => c === 'SSH_AUTH'), JSON.stringify(report.failures));
    assert.ok(causesOf(3).includes('VM_NOT_STOPPED'), JSON.stringify(report.failures));
    assert.deepEqual(causesOf(0), []);
    assert.deepEqual(causesOf(1), []);
    assert.equal(report.hosts.find((h) => h.hostId === hostIds[2])?.outcome, 'failed');
    const auth = report.fixes.find((f) => f.cause === 'SSH_AUTH');
    assert.deepEqual(auth?.targets, [report.hosts.find((h) => h.hostId === hostIds[2])?.hostName]);
  });

  test('battery used is read from the UPS samples; every predicted number names its source', async () => {
    assert.equal(report.battery.length, 1);
    assert.ok((report.battery[0]?.samples ?? 0) > 0);
    assert.equal(report.battery[0]?.start?.chargePercent, 90);
    // The end reading is the monitor's last sample up to the plan's end, whatever it read by then.
    const plan = await db.prisma.plan.findUniqueOrThrow({ where: { id: planId } });
    const last = await db.prisma.upsSample.findFirst({
      where: { at: { lte: plan.finishedAt ?? new Date() } },
      orderBy: { at: 'desc' },
    });
    assert.equal(report.battery[0]?.end?.chargePercent, last?.charge);
    assert.equal(report.battery[0]?.chargeUsedPercent, 90 - (last?.charge ?? NaN));
    for (const step of report.hosts.flatMap((h) => h.steps))
      assert.equal(step.predictionSource?.kind, 'policy', `${step.key}: nothing was measured before this plan`);
  });

  test('the printable page escapes every name and lets nothing load or run', async () => {
    const response = await call(`/plans/${planId}/report.html`, tokens.viewer);
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /^text\/html/);
    assert.match(response.headers.get('content-security-policy') ?? '', /default-src 'none'/);
    const html = await response.text();
    assert.ok(!html.includes('<script'), 'a name got through as markup');
    assert.ok(html.includes('esx&lt;script&gt;alert(1)&lt;/script&gt;'));
    assert.equal((await call(`/plans/${planId}/report.html`, 'not-a-token')).status, 401);
    assert.equal((await call('/plans/00000000-0000-4000-8000-000000000000/report', tokens.viewer)).status, 404);
  });

  test('the end-of-plan notification carries the report link under PUBLIC_URL', async () => {
    const link = `${PUBLIC_URL}/ui/#/plans/${planId}/report`;
    await waitFor(
      'the plan.failed webhook',
      () => Promise.resolve(receiver.to('/hook').some((r) => r.body.includes(link))),
      20_000,
    );
  });

  test('the next plan of these hosts predicts from what this one measured, and says so', async () => {
    // The hosts are back: their rows say so (the simulator serves their VMs again regardless).
    await db.prisma.host.updateMany({ where: { id: { in: hostIds.slice(0, 2) } }, data: { powerState: 'ON' } });
    const preview = (await (await call(`/plans/shutdown/preview?hosts=${hostIds[1]}`)).json()) as {
      steps: Array<{
        key: string;
        predictedStartSeconds: number;
        predictedEndSeconds: number;
        predictionSource: { kind: string; planId?: string };
      }>;
    };
    const off = preview.steps.find((s) => s.key.endsWith(':power-off'));
    assert.equal(off?.predictionSource.kind, 'measured', JSON.stringify(off));
    assert.equal(off?.predictionSource.planId, planId);
    const measured = report.hosts
      .find((h) => h.hostId === hostIds[1])
      ?.steps.find((s) => s.action === 'host-power-off');
    assert.ok(
      Math.abs((off?.predictedEndSeconds ?? 0) - (off?.predictedStartSeconds ?? 0) - (measured?.actualSeconds ?? -1)) <
        0.1,
    );
  });
});

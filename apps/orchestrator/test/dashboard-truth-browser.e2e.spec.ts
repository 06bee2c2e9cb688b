/**
 * What the dashboard's screens say is what nutfleet recorded: the outage banner, the plan page,
 * the host page and the UPS charts, each checked against the rows behind it. Debian's Chromium
 * driven by playwright-core against a real orchestrator, a real upsd + dummy-ups and its monitor.
 */
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { type Page } from 'playwright-core';

import { type NutUserVarFacts, type Prisma } from '@nutfleet/db';
import { type NutTestbed, startNutTestbed, waitFor } from '@nutfleet/testing';

import { type ApiTestApp, startApiTestApp } from './support/api-test-app';
import { launchTestBrowser, type TestBrowser } from './support/chromium';

/** The little of the DOM the page callbacks touch (this project compiles without the DOM library). */
interface PageElement {
  textContent: string | null;
}
import { BANNER_HEADLINE, bannerOnEveryPage, clock, hostResultRows, stepLabels } from './support/dashboard-screens';
import { insertNutServer, type InsertedNutServer, testbedServerRow } from './support/nut-server-rows';
import { screenHostFacts } from './support/screen-host-facts';

/** Screenshots for people and CI artifacts (gitignored). */
const ARTIFACTS = resolve(__dirname, '../../../../test-artifacts/dashboard');

describe('dashboard screens tell the truth', { timeout: 170_000 }, () => {
  let api: ApiTestApp;
  let bed: NutTestbed;
  let browser: TestBrowser;
  let page: Page;
  let server: InsertedNutServer;

  const shot = async (name: string): Promise<void> => {
    await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
  };
  const text = async (selector: string): Promise<string> => (await page.locator(selector).textContent()) ?? '';

  before(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    bed = await startNutTestbed({ upses: 2 });
    api = await startApiTestApp({
      POWER_MONITOR_ENABLED: 'true',
      POWER_MONITOR_POLL_INTERVAL_MS: '500',
      POWER_MONITOR_INVENTORY_REFRESH_MS: '500',
      POWER_MONITOR_LEASE_TTL_MS: '3000',
      PLAN_EVALUATE_INTERVAL_MS: '250',
    });
    const prisma = api.db.prisma;
    server = await insertNutServer(prisma, api.config.secretKey, testbedServerRow(bed, 'site-a'));
    // Mains must be back 2 s before an outage that shut nothing down closes (the test's pace);
    // no on-battery trigger fires within the few seconds a UPS is on battery here. A restart
    // gate waits for 600 s of stable power: longer than the test, so it stays closed.
    await prisma.policy.updateMany({
      where: { isDefault: true },
      data: {
        powerBackConfirmSeconds: 2,
        onBatterySeconds: null,
        chargeBelowPercent: null,
        runtimeBelowSeconds: null,
        restartStableSeconds: 600,
      },
    });
    const hosts = [
      {
        name: 'esx-a1',
        stage: 0,
        ups: 'ups1',
        vms: [
          { id: 1, name: 'db-01', on: true, tools: 'running', startOrder: 1 },
          { id: 2, name: 'web-01', on: true, tools: 'running', startOrder: 2 },
        ],
      },
      { name: 'esx-a2', stage: 1, ups: 'ups2', vms: [{ id: 5, name: 'app-02', on: true, tools: 'running' }] },
    ] as const;
    for (const [i, host] of hosts.entries()) {
      const mac = `00:50:56:00:00:0${i + 1}`;
      await prisma.host.create({
        data: {
          name: host.name,
          address: `10.9.0.${i + 1}`,
          trustState: 'TRUSTED',
          hostKeyFingerprint: `SHA256:${'B'.repeat(43)}`,
          shutdownStage: host.stage,
          macAddresses: [mac],
          esxiVersion: '8.0.3',
          lastSeenAt: new Date(),
          facts: screenHostFacts(host.vms, [{ name: 'vmnic0', mac }]) as unknown as Prisma.InputJsonValue,
          feeds: { create: [{ upsId: server.upsId(host.ups) }] },
        },
      });
    }
    browser = await launchTestBrowser();
    page = browser.page;
    await page.goto(`${api.base}/`);
    await page.fill('#token', api.tokens.operator);
    await page.click('#sign-in');
    await page.waitForSelector('#nav a');
  });

  after(async () => {
    await browser?.close();
    await api?.close();
    await bed?.stop();
  });

  test('the outage banner names the UPS on battery since its recorded opening, on every page, and goes when the outage closes', async () => {
    await page.waitForSelector('#live.on');
    assert.equal(await page.locator('#outage-banner').isVisible(), false, 'no banner while mains is on');
    bed.setStatus('ups1', 'OB DISCHRG');
    await waitFor(
      'the outage record',
      async () => (await api.db.prisma.outage.count({ where: { closedAt: null } })) === 1,
      15_000,
      200,
    );
    const outage = await api.db.prisma.outage.findFirstOrThrow({ where: { closedAt: null } });
    await page.waitForSelector(BANNER_HEADLINE, { timeout: 15_000 });
    const headline = await text('[data-testid="outage-headline"]');
    assert.match(headline, /ups1/, headline);
    assert.doesNotMatch(headline, /ups2/, 'the UPS still on line is not named');
    assert.match(
      headline,
      new RegExp(`at ${clock(outage.openedAt)}`),
      `${headline} vs ${outage.openedAt.toISOString()}`,
    );
    await bannerOnEveryPage(page, api.base, ['#/ups', '#/plans', '#/rollouts', '#/settings']);
    await shot('outage-banner');

    bed.setStatus('ups1', 'OL');
    await waitFor(
      'the outage closed',
      async () => (await api.db.prisma.outage.findUnique({ where: { id: outage.id } }))?.closedAt != null,
      20_000,
      200,
    );
    await page.waitForSelector('#outage-banner[hidden]', { state: 'attached', timeout: 15_000 });
    assert.equal(await text('#outage-banner'), '', 'nothing left in the banner');
  });

  test("the plan page names every step by host and VM, by stage, on the plan's own time axis with the battery runtime marked, and reads its results and events", async () => {
    const prisma = api.db.prisma;
    for (const ups of ['ups1', 'ups2']) bed.setVariables(ups, { 'battery.runtime': '300' });
    await waitFor(
      'the monitor read the runtimes',
      async () =>
        (await prisma.ups.findMany()).every(
          (u) => (u.variables as Record<string, string> | null)?.['battery.runtime'] === '300' && u.commState === 'OK',
        ),
      10_000,
      200,
    );
    const created = await api.call<{ id: string }>('POST', '/plans/shutdown', {
      token: api.tokens.operator,
      body: { mode: 'dry-run', targets: { all: true }, reason: 'screen test' },
    });
    assert.equal(created.status, 201, created.text);
    const planId = created.body.id;
    const steps = await prisma.planStep.findMany({ where: { planId }, include: { host: true } });
    const expected = steps.map((s) => {
      const detail = s.detail as { vmName?: string };
      return `${s.host?.name ?? '?'} · ${s.action === 'vm-stop' ? `stop VM ${detail.vmName ?? '?'}` : 'power off host'}`;
    });
    assert.ok(expected.includes('esx-a1 · stop VM db-01'), expected.join(', '));

    await page.goto(`${api.base}/ui/#/plans/${planId}`);
    await page.waitForSelector('[data-testid="step-label"]');
    const labels = await stepLabels(page);
    assert.deepEqual(
      [...labels].sort(),
      [...expected].sort(),
      'every step named by host and VM, none left as "1 · vm-stop"',
    );
    assert.deepEqual(await page.locator('[data-testid="step-group"]').allTextContents(), ['Stage 0', 'Stage 1']);
    // The plan not finished: the banner follows it and links to it.
    const link = page.locator(`#outage-banner a[href="#/plans/${planId}"]`);
    await link.waitFor({ timeout: 10_000 });
    assert.match((await link.textContent()) ?? '', /shutdown plan \(dry-run\) (PENDING|RUNNING): 0\/2 hosts done/);
    await shot('plan-running');

    // The worker's writes, as it would make them: esx-a1 down, a VM of esx-a2 failed.
    const t0 = Date.now() - 600_000;
    const at = (s: number): Date => new Date(t0 + s * 1000);
    const times: Record<
      string,
      { state: 'SUCCEEDED' | 'FAILED' | 'CANCELLED'; from?: number; to?: number; error?: string }
    > = {
      'esx-a1 · stop VM db-01': { state: 'SUCCEEDED', from: 10, to: 40 },
      'esx-a1 · stop VM web-01': { state: 'SUCCEEDED', from: 12, to: 35 },
      'esx-a1 · power off host': { state: 'SUCCEEDED', from: 40, to: 100 },
      'esx-a2 · stop VM app-02': { state: 'FAILED', from: 100, to: 160, error: 'vim-cmd: timed out after 120 s' },
      'esx-a2 · power off host': { state: 'CANCELLED', to: 160 },
    };
    await prisma.$transaction([
      ...steps.map((s, i) => {
        const write = times[expected[i] ?? ''];
        assert.ok(write, expected[i]);
        return prisma.planStep.update({
          where: { id: s.id },
          data: {
            state: write.state,
            startedAt: write.from === undefined ? null : at(write.from),
            finishedAt: write.to === undefined ? null : at(write.to),
            error: write.error ?? null,
          },
        });
      }),
      prisma.plan.update({ where: { id: planId }, data: { state: 'FAILED', startedAt: at(0), finishedAt: at(600) } }),
    ]);
    await page.waitForSelector('#plan-results tbody tr', { timeout: 10_000 });
    const results = await hostResultRows(page);
    const row = (host: string): string[] | undefined => results.find((r) => r[0] === host);
    assert.deepEqual(row('esx-a1'), ['esx-a1', 'SUCCEEDED', clock(at(10)), clock(at(100)), '90 s', '']);
    const failed = row('esx-a2') ?? [];
    assert.deepEqual(failed.slice(0, 4), ['esx-a2', 'FAILED', clock(at(100)), clock(at(160))]);
    assert.match(failed[5] ?? '', /esx-a2 · stop VM app-02: vim-cmd: timed out after 120 s/);

    // The axis spans the plan (start to finish), and the battery runtime the plan recorded sits
    // where it falls on it.
    const plan = await prisma.plan.findUniqueOrThrow({ where: { id: planId } });
    const runtime = (plan.detail as { built?: { batteryRuntimeSeconds?: number } }).built?.batteryRuntimeSeconds;
    assert.equal(runtime, 300, 'the plan recorded the battery runtime the UPSes reported');
    const ticks = await page.locator('[data-testid="time-axis"] .tl-tick').allTextContents();
    assert.deepEqual([ticks[0], ticks.at(-1)], [clock(at(0)), clock(at(600))]);
    const style = (await page.locator('[data-testid="battery-mark"]').getAttribute('style')) ?? '';
    const left = Number(/left:\s*([\d.]+)%/.exec(style)?.[1]);
    assert.ok(Math.abs(left - (runtime / 600) * 100) < 0.01, `battery mark at ${style}`);

    // Power events, one readable line each: the on-battery change of the first test is there.
    const onBattery = await prisma.powerEvent.findFirstOrThrow({
      where: { upsId: server.upsId('ups1'), type: 'STATUS_CHANGE', status: 'OB DISCHRG' },
    });
    const eventRows = await page.locator('#plan-events tbody tr').allTextContents();
    const when = clock(onBattery.observedAt ?? onBattery.receivedAt);
    assert.ok(
      eventRows.some((r) => r.startsWith(`${when}ups1`) && r.includes('→ OB DISCHRG (on battery, discharging)')),
      eventRows.join('\n'),
    );
    assert.equal(
      eventRows.some((r) => r.includes('{"')),
      false,
      'no raw JSON',
    );
    await shot('plan-results');
  });

  test('a restart plan page says in plain words until when its gate waits for stable power, on which UPS', async () => {
    const prisma = api.db.prisma;
    const created = await api.call<{ id: string }>('POST', '/plans/restart', {
      token: api.tokens.operator,
      body: { mode: 'dry-run', targets: { hosts: ['esx-a1'] }, includeHostsDownBeforeOutage: true },
    });
    assert.equal(created.status, 201, created.text);
    const planId = created.body.id;
    const gateDecision = async () =>
      (await prisma.powerEvent.findMany({ where: { planId, type: 'DECISION' } })).find(
        (e) => (e.data as { event?: string }).event === 'restart-gate',
      );
    await waitFor('the gate decision', async () => (await gateDecision()) !== undefined, 10_000, 200);
    const decision = await gateDecision();
    assert.ok(decision);
    const data = decision.data as { open: boolean; checks: Array<{ gate: string; recheckAt: number | null }> };
    assert.equal(data.open, false);
    const until = data.checks.find((c) => c.gate === 'power-stable')?.recheckAt;
    assert.ok(typeof until === 'number', JSON.stringify(data));
    // The instant is 600 s after ups1 came back on line, as recorded.
    const backOnLine = await prisma.powerEvent.findFirstOrThrow({
      where: { upsId: server.upsId('ups1'), type: 'STATUS_CHANGE', status: 'OL' },
      orderBy: { id: 'desc' },
    });
    const online = (backOnLine.observedAt ?? backOnLine.receivedAt).getTime();
    assert.ok(
      Math.abs(until - (online + 600_000)) < 1500,
      `${new Date(until).toISOString()} vs ${backOnLine.receivedAt.toISOString()}`,
    );

    await page.goto(`${api.base}/ui/#/plans/${planId}`);
    await page.waitForSelector('#plan-gates [data-testid="gate"]');
    const gate = (await page.locator('#plan-gates [data-testid="gate"]').first().textContent()) ?? '';
    assert.match(gate, new RegExp(`waiting until ${clock(until)} for 600 s of stable power on ups1`), gate);
    const labels = await stepLabels(page);
    assert.ok(labels.includes('esx-a1 · wake (Wake-on-LAN)'), labels.join(', '));
    assert.match((await page.locator('[data-testid="step-group"]').first().textContent()) ?? '', /^Wave \d+$/);
    await shot('plan-restart-gate');
  });

  test('the host page shows its VMs, NICs, UserVars actual against desired with the reason, and its plans and changes', async () => {
    const prisma = api.db.prisma;
    const host = await prisma.host.findFirstOrThrow({ where: { name: 'esx-a1' } });
    const desired = await api.call<{
      ok: boolean;
      userVars: Record<string, string | number>;
      reasons: Record<string, string>;
    }>('GET', `/hosts/${host.id}/desired-config`, { token: api.tokens.viewer });
    assert.equal(desired.status, 200, desired.text);
    assert.ok(desired.body.ok, desired.text);
    // Discovery read the desired values, except one integer off by 5 and the password unset.
    let changed = '';
    const nutUserVars: Record<string, NutUserVarFacts> = {};
    for (const [name, value] of Object.entries(desired.body.userVars)) {
      if (name === 'NutPassword') nutUserVars[name] = { type: 'secret', set: false };
      else if (typeof value === 'number' && changed === '') {
        changed = name;
        nutUserVars[name] = { type: 'integer', value: value + 5, default: null };
      } else if (typeof value === 'number') nutUserVars[name] = { type: 'integer', value, default: null };
      else nutUserVars[name] = { type: 'string', value, default: null };
    }
    const facts = screenHostFacts(
      [
        { id: 1, name: 'db-01', on: true, tools: 'running', startOrder: 1 },
        { id: 2, name: 'web-01', on: true, tools: 'running', startOrder: 2 },
        { id: 3, name: 'old-02', on: false, tools: 'notInstalled' },
      ],
      [
        { name: 'vmnic0', mac: '00:50:56:00:00:01' },
        { name: 'vmnic1', mac: '00:50:56:00:01:01' },
      ],
      nutUserVars,
    );
    await prisma.host.update({ where: { id: host.id }, data: { facts: facts as unknown as Prisma.InputJsonValue } });
    const patched = await api.call('PATCH', `/hosts/${host.id}`, {
      token: api.tokens.admin,
      body: { tags: ['rack-3'] },
    });
    assert.equal(patched.status, 200, patched.text);

    await page.goto(`${api.base}/ui/#/fleet`);
    await page.click(`#hosts a[href="#/hosts/${host.id}"]`);
    await page.waitForSelector('#host-vms tbody tr');
    const rows = async (id: string): Promise<string[][]> => {
      const out: string[][] = [];
      for (const row of await page.locator(`#${id} tbody tr`).all())
        out.push(await row.locator('td').allTextContents());
      return out;
    };
    assert.deepEqual(await rows('host-vms'), [
      ['db-01', 'on', 'running', 'yes, order 1'],
      ['web-01', 'on', 'running', 'yes, order 2'],
      ['old-02', 'off', 'not installed', 'no'],
    ]);
    assert.deepEqual(await rows('host-nics'), [
      ['vmnic0', '00:50:56:00:00:01', 'Up, 10000 Mb/s'],
      ['vmnic1', '00:50:56:00:01:01', 'Up, 10000 Mb/s'],
    ]);
    assert.match(await text('#host-wol'), /00:50:56:00:00:01/);
    const listed = await api.call<{ power: { state: string; source: string | null } }>('GET', `/hosts/${host.id}`, {
      token: api.tokens.viewer,
    });
    const power = await text('[data-testid="host-power"]');
    assert.ok(power.startsWith(listed.body.power.state), `${power} vs ${JSON.stringify(listed.body.power)}`);
    if (listed.body.power.source !== null) assert.ok(power.includes(listed.body.power.source), power);

    const vars = await rows('host-uservars');
    assert.equal(vars.length, Object.keys(desired.body.userVars).length);
    for (const [name, actual, wanted, state, reason] of vars) {
      assert.ok(name !== undefined && name in desired.body.userVars, `${name} is desired`);
      const value = desired.body.userVars[name];
      assert.equal(reason, desired.body.reasons[name] ?? '', `${name}: the reason the API gives`);
      if (name === 'NutPassword') assert.deepEqual([actual, wanted, state], ['not set', 'set', 'differs']);
      else if (name === changed)
        assert.deepEqual([actual, wanted, state], [String(Number(value) + 5), String(value), 'differs']);
      else assert.deepEqual([actual, wanted, state], [String(value), String(value), 'in sync'], name);
    }
    assert.ok(
      vars.some(([name, , , , reason]) => name === 'NutFinalDelay' && (reason ?? '').length > 10),
      'NutFinalDelay says why',
    );

    // Its plans: the shutdown and the restart of the tests before, newest first, with its result.
    const plans = await prisma.plan.findMany({
      where: { steps: { some: { hostId: host.id } } },
      orderBy: { createdAt: 'desc' },
    });
    const planRows = await rows('host-plans');
    assert.deepEqual(
      planRows.map((r) => r[1]),
      plans.map((p) => `${p.kind.toLowerCase()} · dry-run`),
    );
    assert.deepEqual(
      planRows.map((r) => r[2]),
      ['PENDING', 'SUCCEEDED'],
    );
    for (const plan of plans) await page.locator(`#host-plans a[href="#/plans/${plan.id}"]`).waitFor();
    assert.match(planRows[1]?.[3] ?? '', /stop VM db-01: succeeded/);
    const changes = await rows('host-events');
    assert.ok(
      changes.some(([, who, what]) => who === 'test-admin' && what === 'host.update'),
      JSON.stringify(changes),
    );
    await shot('host-page');
  });

  test("a UPS's charts draw the recorded samples and mark its outage at the recorded time", async () => {
    const prisma = api.db.prisma;
    const upsId = server.upsId('ups1');
    // A discharge as upsd reports it: each change is a sample the monitor records.
    const steps = [
      { 'battery.charge': '95', 'battery.runtime': '1500', 'ups.load': '35', 'input.voltage': '231' },
      { 'battery.charge': '90', 'battery.runtime': '1320', 'ups.load': '41', 'input.voltage': '229' },
      { 'battery.charge': '85', 'battery.runtime': '1200', 'ups.load': '44', 'input.voltage': '230' },
    ];
    for (const vars of steps) {
      bed.setVariables('ups1', vars);
      await waitFor(
        `a sample at ${vars['battery.charge']} %`,
        async () =>
          (await prisma.upsSample.count({
            where: { upsId, charge: Number(vars['battery.charge']), load: Number(vars['ups.load']) },
          })) > 0,
        10_000,
        200,
      );
    }
    const outage = await prisma.outage.findFirstOrThrow({
      where: { upsIds: { has: upsId } },
      orderBy: { openedAt: 'asc' },
    });

    await page.goto(`${api.base}/ui/#/ups`);
    await page.click(`#ups-grid a[href="#/ups/${upsId}"]`);
    await page.waitForSelector('#ups-history-data tbody tr', { state: 'attached' });
    await page.click('button[data-hours="1"]');
    await page.waitForSelector('button[data-hours="1"][aria-pressed="true"]');
    await page.waitForSelector('[data-testid="chart-charge"] canvas');

    // The points are the samples recorded in the window, value for value.
    const chart = page.locator('[data-testid="chart-charge"]');
    const from = Number(await chart.getAttribute('data-from'));
    const to = Number(await chart.getAttribute('data-to'));
    assert.ok(to - from === 3600_000, `a one-hour window: ${from} → ${to}`);
    const samples = await prisma.upsSample.findMany({
      where: { upsId, at: { gte: new Date(from), lt: new Date(to) } },
      orderBy: { at: 'asc' },
    });
    const shown = await page.locator('#ups-history-data tbody tr').evaluateAll((rows) =>
      rows.map((row) => [
        Number((row as unknown as { dataset: { at: string } }).dataset.at),
        ...Array.from((row as unknown as { children: ArrayLike<PageElement> }).children)
          .slice(1, 5)
          .map((td) => td.textContent),
      ]),
    );
    const cell = (v: number | null): string => (v === null ? '–' : String(Number(v.toFixed(1))));
    assert.deepEqual(
      shown,
      samples.map((s) => [
        s.at.getTime(),
        cell(s.charge),
        s.runtimeSeconds === null ? '–' : String(Math.round(s.runtimeSeconds)),
        cell(s.load),
        cell(s.inputVoltage),
      ]),
    );
    assert.ok(
      samples.some((s) => s.charge === 85 && s.load === 44 && s.inputVoltage === 230 && s.runtimeSeconds === 1200),
    );

    // The outage of the first test is shaded on every chart from its recorded opening, where
    // the chart's own time axis puts that instant.
    for (const field of ['charge', 'runtimeSeconds', 'load', 'inputVoltage']) {
      const mark = page.locator(
        `[data-testid="chart-${field}"] .outage-mark[data-opened-at="${outage.openedAt.toISOString()}"]`,
      );
      await mark.waitFor();
      const box = await mark.evaluate((el) => {
        const e = el as unknown as { offsetLeft: number; parentElement: { clientWidth: number } };
        return { left: e.offsetLeft, width: e.parentElement.clientWidth };
      });
      const expected = ((outage.openedAt.getTime() - from) / (to - from)) * box.width;
      assert.ok(Math.abs(box.left - expected) <= 1.5, `${field}: mark at ${box.left}px, the outage at ${expected}px`);
    }
    assert.match(await text('#ups-outages'), new RegExp(`Outage from ${clock(outage.openedAt)}`));
    await shot('ups-charts');
  });
});

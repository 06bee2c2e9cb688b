/**
 * The Drills page (#/drills) in a real Chromium against a real orchestrator, the worker and
 * simulated ESXi hosts over SSH on loopback: an operator starts a live drill of a small group
 * from the page, and everything the page then shows of it (the list row while it runs and when it
 * ends, the report's figures) is checked against the API and the simulators' own power and
 * command logs. A viewer sees the drills but no way to start one.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { type INestApplicationContext } from '@nestjs/common';
import { type Page } from 'playwright-core';

import { type DrillReport } from '@nutfleet/plan';
import { type EsxiFleet, startEsxiFleet, waitFor } from '@nutfleet/testing';

import { createWorkerApp } from '../../worker/src/worker.app';
import { type ApiTestApp, startApiTestApp } from './support/api-test-app';
import { launchTestBrowser, type TestBrowser } from './support/chromium';
import { DRILL_TEST_ENV, insertDrillHost } from './support/drill-hosts';
import { stateChangingCommands } from './support/outage-fleet';

const GROUP = 'drill-lab';
const LAB = [0, 1];
const OUTSIDE = 2; // group production: never drilled
/** A simulator's timestamps and the orchestrator's come from the same clock; allow rounding. */
const SLACK_MS = 5;

interface DrillView {
  id: string;
  kind: string;
  state: string;
  groupName: string;
  hostIds: string[];
  requestedBy: string;
  shutdownPlanId: string | null;
  restartPlanId: string | null;
  error: string | null;
  reportReady: boolean;
}

/** The page's own formatting of seconds and durations (drills.view.ts, dom.ts), to compare figures. */
const secs = (v: number | null): string => (v === null ? '—' : `${v.toFixed(v < 10 ? 2 : 1)} s`);
const duration = (seconds: number): string =>
  seconds < 120 ? `${Math.round(seconds)} s` : `${Math.floor(seconds / 60)} min ${Math.round(seconds % 60)} s`;

describe('drills page in a real browser: what it shows of a drill started there is true', { timeout: 180_000 }, () => {
  let api: ApiTestApp;
  let worker: INestApplicationContext;
  let fleet: EsxiFleet;
  let browser: TestBrowser;
  let page: Page;
  const ids = new Map<number, string>();
  let drillId = '';
  let startedAt = 0;

  const signIn = async (token: string): Promise<void> => {
    await page.goto(`${api.base}/`);
    await page.fill('#token', token);
    await page.click('#sign-in');
    await page.waitForSelector('#nav a');
  };

  const getDrill = async (id: string): Promise<DrillView> =>
    (await api.call<DrillView>('GET', `/drills/${id}`, { token: api.tokens.viewer })).body;

  /** The drills table, cell by cell: kind, group, state, hosts, requested by, started, report. */
  async function drillRows(): Promise<string[][]> {
    const rows: string[][] = [];
    for (const row of await page.locator('table[aria-label="Drills"] tbody tr').all())
      rows.push(await row.locator('td').allTextContents());
    return rows;
  }

  async function addHost(i: number, groupId: string): Promise<void> {
    ids.set(i, await insertDrillHost(api.db.prisma, api.config.secretKey, fleet, i, groupId));
  }

  before(async () => {
    api = await startApiTestApp({ ...DRILL_TEST_ENV });
    worker = await createWorkerApp(api.config);
    fleet = await startEsxiFleet({
      hosts: 3,
      seed: 'drills-browser-e2e',
      msPerSecond: 50,
      profileFor: (i) => ({
        bootDelayMs: 300,
        // Guests slow enough that the page's first listing sees the drill still running.
        vms: [{ name: `app-${i}`, guestShutdownMs: 2500 }],
      }),
    });
    const lab = await api.db.prisma.hostGroup.create({ data: { name: GROUP } });
    const production = await api.db.prisma.hostGroup.create({ data: { name: 'production' } });
    for (const i of LAB) await addHost(i, lab.id);
    await addHost(OUTSIDE, production.id);
    browser = await launchTestBrowser();
    page = browser.page;
  });

  after(async () => {
    await browser?.close();
    await worker?.close();
    await fleet?.stop();
    await api?.close();
  });

  test('an operator starts a live drill from the page; its row shows it running, then finished, as the API says', async () => {
    await signIn(api.tokens.operator);
    await page.goto(`${api.base}/ui/#/drills`);
    await page.waitForSelector('text=No drill yet.');
    // The group picker's host counts are the groups' real sizes.
    await page.waitForSelector(`#drill-group option[value="${GROUP}"]`, { state: 'attached' });
    assert.deepEqual(await page.locator('#drill-group option').allTextContents(), [
      `${GROUP} (2 host(s))`,
      'production (1 host(s))',
    ]);
    await page.selectOption('#drill-kind', 'live');
    await page.selectOption('#drill-group', GROUP);
    await page.fill('#drill-confirm', GROUP);
    const dialogs: string[] = [];
    page.once('dialog', (d) => {
      dialogs.push(d.message());
      void d.accept();
    });
    startedAt = Date.now();
    await page.click('form button[type="submit"]');
    const started = page.locator('.notice.info', { hasText: /^Drill [0-9a-f-]{36} started on \d+ host\(s\)\.$/ });
    await started.waitFor({ timeout: 15_000 });
    assert.deepEqual(dialogs, [`Power off every host of "${GROUP}" for real, then wake them?`]);
    const said = (await started.textContent()) ?? '';
    drillId = /^Drill ([0-9a-f-]{36}) /.exec(said)?.[1] ?? '';

    // The click made exactly this one drill, of the group's two hosts, requested by the operator.
    const list = (await api.call<DrillView[]>('GET', '/drills', { token: api.tokens.viewer })).body;
    assert.deepEqual(
      list.map((d) => d.id),
      [drillId],
    );
    const drill = list[0] as DrillView;
    assert.equal(drill.kind, 'live');
    assert.equal(drill.groupName, GROUP);
    assert.deepEqual([...drill.hostIds].sort(), LAB.map((i) => ids.get(i) as string).sort());
    assert.match(said, new RegExp(`started on ${drill.hostIds.length} host\\(s\\)\\.$`));

    // While it runs: the row says RUNNING, and the API agrees at that moment.
    let running: string[] | undefined;
    await waitFor(
      'the page to list the drill running',
      async () => {
        running = (await drillRows())[0];
        return running?.[2] === 'RUNNING';
      },
      10_000,
      50,
    );
    const whileRunning = await getDrill(drillId);
    assert.equal(whileRunning.state, 'RUNNING', 'the page showed RUNNING; the API has it running as well');
    assert.ok(
      LAB.some((i) => !fleet.host(i).state.powerLog.some((e) => e.event === 'booted' && e.at >= startedAt)),
      'and the simulators have not all come back yet',
    );
    assert.deepEqual(running?.slice(0, 5), ['live', GROUP, 'RUNNING', '2', drill.requestedBy]);
    assert.equal(running?.[6], '', 'no report link, no error while it runs');

    // The page refreshes itself; no reload. It ends SUCCEEDED, the state the API reports.
    let done: string[] | undefined;
    await waitFor(
      'the page to list the drill finished',
      async () => {
        done = (await drillRows())[0];
        return done !== undefined && done[2] !== 'RUNNING';
      },
      90_000,
      200,
    );
    const finished = await getDrill(drillId);
    assert.equal(finished.state, 'SUCCEEDED', finished.error ?? '');
    assert.equal(done?.[2], finished.state);
    assert.ok(finished.reportReady);
    assert.equal(done?.[6], 'report');
    assert.equal(
      await page.locator('table[aria-label="Drills"] tbody tr a').getAttribute('href'),
      `#/drills/${drillId}`,
    );
    assert.equal(await page.locator('table[aria-label="Drills"] tbody tr .badge').getAttribute('class'), 'badge ok');
  });

  test('the report page shows the API’s report, and the simulators confirm each host went off and came back', async () => {
    assert.notEqual(drillId, '', 'the first test started a drill');
    await page.click('table[aria-label="Drills"] tbody tr a');
    await page.waitForSelector('main h2 .badge');
    const r = (await api.call<DrillReport>('GET', `/drills/${drillId}/report`, { token: api.tokens.viewer })).body;
    assert.equal(r.state, 'SUCCEEDED');
    assert.deepEqual(r.summary, { hosts: 2, ok: 2, failed: 0, notRun: 0, slower: r.summary.slower, woken: 2 });
    assert.equal(await page.locator('main h2').textContent(), `Live drill of ${GROUP} SUCCEEDED`);
    const s = r.summary;
    const took = duration((Date.parse(r.finishedAt) - Date.parse(r.startedAt)) / 1000);
    await page.waitForSelector(
      `text=${s.hosts} host(s): ${s.ok} ok, ${s.failed} failed, ${s.notRun} not run, ${s.slower} slower than predicted, ${s.woken} woken and verified · took ${took}`,
    );

    // The links to the plans' reports lead to the two plans the drill really ran.
    const drill = await getDrill(drillId);
    assert.ok(drill.shutdownPlanId !== null && drill.restartPlanId !== null);
    assert.equal(
      await page.locator('main a', { hasText: 'shutdown plan report' }).getAttribute('href'),
      `/ui/#/plans/${drill.shutdownPlanId}/report`,
    );
    assert.equal(
      await page.locator('main a', { hasText: 'restart plan report' }).getAttribute('href'),
      `/ui/#/plans/${drill.restartPlanId}/report`,
    );

    const sections = await page.locator('main section').all();
    assert.equal(sections.length, LAB.length, 'one section per drilled host, none for the host outside');
    for (const i of LAB) {
      const host = r.hosts.find((x) => x.hostId === ids.get(i));
      assert.ok(host, `drill-${i} in the API's report`);
      const section = page.locator('main section', { has: page.locator('h3', { hasText: `drill-${i}` }) });
      assert.equal(await section.locator('h3').textContent(), `drill-${i} ${host.result}`);
      assert.equal(host.result, 'ok');
      const lines = await section.locator('> p').allTextContents();
      assert.deepEqual(lines, [
        `Shutdown: predicted ${secs(host.shutdown.predictedSeconds)}, measured ${secs(host.shutdown.measuredSeconds)} (${host.shutdown.verdict})`,
        `Wake-on-LAN verified ${secs(host.wake?.secondsToVerified ?? null)} after the magic packet`,
      ]);
      const rows: string[][] = [];
      for (const row of await section.locator('tbody tr').all()) rows.push(await row.locator('td').allTextContents());
      assert.deepEqual(
        rows,
        host.steps.map((st) => [
          `${st.plan} ${st.action}${st.vm !== null ? ` ${st.vm}` : ''}`,
          st.state,
          secs(st.predictedSeconds),
          secs(st.budgetSeconds),
          secs(st.measuredSeconds),
          st.verdict,
        ]),
      );

      // What the simulator itself saw: its guest shut down, then it powered off, got the magic packet, booted.
      const sim = fleet.host(i);
      const events = sim.state.powerLog.filter((e) => e.at >= startedAt).map((e) => e.event);
      const vmId = sim.state.vms.find((v) => v.name === `app-${i}`)?.id;
      assert.ok(
        sim.commandLog.some((c) => c.at >= startedAt && c.argv.join(' ').endsWith(`vmsvc/power.shutdown ${vmId}`)),
        `drill-${i}: its guest was shut down first`,
      );
      for (const e of ['off', 'magic-packet', 'booted'])
        assert.ok(events.includes(e), `drill-${i}: ${e} in ${events.join(', ')}`);
      assert.ok(events.indexOf('off') < events.indexOf('magic-packet'), 'woken only after it was off');
      assert.equal(sim.power, 'on', `drill-${i} is back on`);
      assert.equal(sim.commandLog.filter((c) => c.at >= startedAt && c.argv[0] === 'poweroff').length, 1);
      // The measured wake is the simulator's: verified no earlier than it booted.
      const booted = sim.state.powerLog.find((e) => e.event === 'booted' && e.at >= startedAt);
      assert.ok(host.wake?.verified === true && booted !== undefined);
      assert.ok(Date.parse(host.wake.verifiedAt as string) >= booted.at);
      // "verified N s after the magic packet": the packet the simulator received, the wake it then verified.
      const packet = sim.state.powerLog.find((e) => e.event === 'magic-packet' && e.at >= startedAt);
      const sentAt = Date.parse(host.wake.packetSentAt as string);
      assert.ok(packet !== undefined && packet.at <= sentAt + SLACK_MS, `packet at ${packet?.at}, reported ${sentAt}`);
      assert.equal(host.wake.secondsToVerified, (Date.parse(host.wake.verifiedAt as string) - sentAt) / 1000);
      const powerOff = host.steps.find((st) => st.action === 'host-power-off');
      assert.equal(powerOff?.state, 'SUCCEEDED');
    }

    const outside = fleet.host(OUTSIDE);
    assert.deepEqual(stateChangingCommands(outside), [], 'nothing was done to the host outside the group');
    assert.equal(outside.wolPacketsReceived, 0);
    assert.equal(outside.power, 'on');
    assert.deepEqual(
      outside.state.powerLog.filter((e) => e.at >= startedAt),
      [],
    );
  });

  test('a viewer sees the drill, finished, but no way to start one', async () => {
    await page.click('#sign-out');
    await signIn(api.tokens.viewer);
    await page.goto(`${api.base}/ui/#/drills`);
    await page.waitForSelector('table[aria-label="Drills"] tbody tr a');
    const drill = await getDrill(drillId);
    const row = (await drillRows())[0];
    assert.deepEqual(row?.slice(0, 5), ['live', GROUP, drill.state, '2', drill.requestedBy]);
    assert.equal(
      await page.locator('main form, #drill-kind, #drill-group, #drill-confirm, main button[type="submit"]').count(),
      0,
      'no start form',
    );
    assert.equal(await page.locator('main button', { hasText: 'Start' }).count(), 0);
    // The API would refuse the viewer anyway; the page simply does not offer it.
    assert.equal(
      (await api.call('POST', '/drills', { token: api.tokens.viewer, body: { kind: 'rehearsal', group: GROUP } }))
        .status,
      403,
    );
  });
});

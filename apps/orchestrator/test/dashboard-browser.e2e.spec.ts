import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { type Page } from 'playwright-core';

import {
  allReadsOk,
  HOST_FACTS_SCHEMA_VERSION,
  type HostFacts,
  type NutUserVarFacts,
  type Prisma,
  sealSecret,
} from '@nutfleet/db';
import { type NutTestbed, startNutTestbed, waitFor } from '@nutfleet/testing';

import { type ApiTestApp, startApiTestApp } from './support/api-test-app';
import { launchTestBrowser, type TestBrowser } from './support/chromium';

// Browser-side callbacks (run in the page, whose CSP forbids evaluating strings); this project
// compiles without the DOM library, so the little it touches is declared here.
interface PageElement {
  textContent: string | null;
}
declare const document: {
  querySelector(selector: string): PageElement | null;
  querySelectorAll(selector: string): { length: number };
};
declare const window: { marker?: number };
declare const sessionStorage: { getItem(key: string): string | null };
/** Screenshots for people and CI artifacts (gitignored). */
const ARTIFACTS = resolve(__dirname, '../../../../test-artifacts/dashboard');
const HOSTS = 120;

// Debian's chromium driven by playwright-core against a real orchestrator, a real upsd +
// dummy-ups and the live stream: sign in, fleet, dry-run preview, a UPS going on battery.
describe('dashboard in a real browser', () => {
  let api: ApiTestApp;
  let bed: NutTestbed;
  let browser: TestBrowser;
  let page: Page;

  const shot = async (name: string): Promise<void> => {
    await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
  };

  const signIn = async (token: string): Promise<void> => {
    await page.goto(`${api.base}/`);
    await page.fill('#token', token);
    await page.click('#sign-in');
    await page.waitForSelector('#nav a');
  };

  before(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    bed = await startNutTestbed({ upses: 1 });
    api = await startApiTestApp({
      POWER_MONITOR_ENABLED: 'true',
      POWER_MONITOR_POLL_INTERVAL_MS: '500',
      POWER_MONITOR_INVENTORY_REFRESH_MS: '500',
      POWER_MONITOR_LEASE_TTL_MS: '3000',
    });
    const serverId = '00000000-0000-4000-8000-000000000001';
    const server = await api.db.prisma.nutServer.create({
      data: {
        id: serverId,
        name: 'site-a',
        host: bed.host,
        port: bed.port,
        username: bed.monitor.username,
        passwordEnc: sealSecret(bed.monitor.password, api.config.secretKey, `nutServer:${serverId}:password`),
        upses: { create: [{ name: 'ups1' }] },
      },
      include: { upses: true },
    });
    const upsId = server.upses[0]?.id ?? '';
    for (let i = 0; i < HOSTS; i++) {
      const name = `esx-${String(i).padStart(3, '0')}`;
      await api.db.prisma.host.create({
        data: {
          name,
          address: `10.0.${Math.floor(i / 250)}.${(i % 250) + 1}`,
          shutdownStage: i % 3,
          trustState: i % 10 === 0 ? 'UNTRUSTED' : 'TRUSTED',
          hostKeyFingerprint: i % 10 === 0 ? null : `SHA256:${'A'.repeat(43)}`,
          vibVersion: i % 4 === 0 ? null : '2.7.3-1',
          esxiVersion: '8.0.2',
          lastSeenAt: new Date(),
          // Three hosts whose SSH warm-up failed; the others answered discovery.
          powerState: i % 40 === 5 ? 'UNREACHABLE' : 'ON',
          powerStateSince: new Date(),
          powerStateSource: i % 40 === 5 ? 'SSH: connect ECONNREFUSED' : 'discovery: SSH and ESXi answered',
          feeds: { create: [{ upsId }] },
        },
      });
    }
    browser = await launchTestBrowser();
    page = browser.page;
  });

  after(async () => {
    await browser?.close();
    await api?.close();
    await bed?.stop();
  });

  test('a wrong token is refused; the right one signs in and shows the fleet, paged and searchable', async () => {
    await page.goto(`${api.base}/`);
    assert.match(page.url(), /\/ui\/$/);
    await page.fill('#token', 'nf_' + 'x'.repeat(43));
    await page.click('#sign-in');
    await page.waitForSelector('.notice.error');
    await signIn(api.tokens.operator);
    await page.waitForSelector('#hosts tbody tr');
    assert.equal(await page.locator('#hosts tbody tr').count(), 50, 'first page of 50');
    assert.match((await page.locator('#who').textContent()) ?? '', /operator/);
    await page.waitForSelector('#fleet-summary .card');
    const cards = await page.locator('#fleet-summary .card').allTextContents();
    assert.ok(cards.includes('120hosts'), `summary cards: ${cards.join(' | ')}`);
    // No host here has credentials or was discovered: every one is unprotected, and the card leads to why.
    assert.ok(cards.includes('120unprotected'), `summary cards: ${cards.join(' | ')}`);
    await page.click('#unprotected-card');
    await page.waitForSelector('#protection-warnings[open] li[data-host="esx-000"]');
    assert.match(
      (await page.locator('#protection-warnings li[data-host="esx-000"]').textContent()) ?? '',
      /UNTRUSTED_KEY.*never trusted.*NO_CREDENTIALS/,
    );
    await shot('fleet');
    await page.click('text=Next →');
    await page.waitForFunction(() => document.querySelector('#hosts tbody tr td strong')?.textContent === 'esx-050');
    await page.fill('#host-search', 'esx-007');
    await page.waitForFunction(() => document.querySelectorAll('#hosts tbody tr').length === 1);
    assert.match((await page.locator('#hosts tbody').textContent()) ?? '', /esx-007.*trusted.*2\.7\.3-1/);
    const token = await page.evaluate(() => sessionStorage.getItem('nutfleet.token'));
    assert.equal(token, api.tokens.operator, 'the token lives in sessionStorage');
  });

  test("the Fleet page shows each host's power state with what it rests on, and filters on it", async () => {
    await page.goto(`${api.base}/ui/#/fleet`);
    await page.waitForSelector('#hosts tbody tr');
    assert.match(
      (await page.locator('#hosts tbody tr').first().locator('[data-testid="power"]').textContent()) ?? '',
      /^on/,
    );
    await page.selectOption('#host-power', 'unreachable');
    await page.waitForFunction(() => document.querySelectorAll('#hosts tbody tr').length === 3);
    const names = await page.locator('#hosts tbody tr td strong').allTextContents();
    assert.deepEqual(names, ['esx-005', 'esx-045', 'esx-085']);
    const cell = (await page.locator('#hosts tbody tr').first().locator('[data-testid="power"]').textContent()) ?? '';
    assert.match(cell, /^unreachable.*since .*SSH: connect ECONNREFUSED/);
    await page.selectOption('#host-power', 'off');
    await page.waitForFunction(() => document.querySelector('#hosts tbody')?.textContent === 'No host matches.');
  });

  test('a dry-run shutdown preview lists the steps; an operator starts a dry run and sees its timeline', async () => {
    await page.goto(`${api.base}/ui/#/plans`);
    await page.waitForSelector('#preview-button');
    await page.click('#preview-button');
    await page.waitForSelector('#preview-steps tbody tr');
    assert.equal(await page.locator('#preview-steps tbody tr').count(), HOSTS, 'one power-off step per host');
    assert.match((await page.locator('#preview-result').textContent()) ?? '', new RegExp(`${HOSTS}\\s*hosts`));
    await shot('plan-preview');
    await page.click('#dry-run-button');
    await page.waitForSelector('#timeline');
    assert.match(page.url(), /#\/plans\/[0-9a-f-]{36}$/);
    assert.match((await page.locator('main h2').textContent()) ?? '', /dry-run/);
    // Its report page (where notifications link; the plan page links it once the plan has ended):
    // the printable page, in a sandboxed frame, figures up to now while the plan still runs.
    await page.goto(`${page.url()}/report`);
    await page.waitForSelector('#plan-report');
    assert.match(page.url(), /#\/plans\/[0-9a-f-]{36}\/report$/);
    const report = page.frameLocator('#plan-report');
    await report.locator('h2', { hasText: 'Timeline' }).waitFor();
    assert.match((await report.locator('body').textContent()) ?? '', /Hosts: predicted vs actual/);
    await shot('plan-report');
  });

  test('a UPS going on battery shows up without a reload', async () => {
    await page.goto(`${api.base}/ui/#/ups`);
    await page.evaluate(() => (window.marker = 42));
    await page.waitForFunction(
      () => document.querySelector('[data-testid="ups-status"]')?.textContent === 'OL',
      undefined,
      { timeout: 15_000 },
    );
    await page.waitForSelector('#live.on');
    bed.setStatus('ups1', 'OB DISCHRG');
    await page.waitForFunction(
      () => document.querySelector('[data-testid="ups-status"]')?.textContent === 'OB DISCHRG',
      undefined,
      { timeout: 15_000 },
    );
    assert.match((await page.locator('#ups-grid').textContent()) ?? '', /ON BATTERY/);
    assert.equal(await page.evaluate(() => window.marker), 42, 'same page: no reload happened');
    await shot('ups-on-battery');
    bed.setStatus('ups1', 'OL');
    await waitFor(
      'back on line',
      async () => (await page.locator('[data-testid="ups-status"]').textContent()) === 'OL',
      15_000,
      200,
    );
  });

  test('the fleet view marks the hosts whose NutClient version or UserVars differ from desired', async () => {
    // Discovery facts as the worker would write them: in sync with the desired configuration,
    // except esx-001 (a UserVar differs), esx-002 (the NUT password unset) and the hosts without
    // NutClient (every fourth).
    const prisma = api.db.prisma;
    const hosts = await prisma.host.findMany({
      select: { id: true, name: true, vibVersion: true },
      orderBy: { name: 'asc' },
    });
    let changedVar = '';
    const desiredOf = new Map<string, Awaited<ReturnType<typeof desiredConfig>>>();
    const desiredConfig = (hostId: string) =>
      api.call<{ ok: boolean; userVars?: Record<string, string | number> }>('GET', `/hosts/${hostId}/desired-config`, {
        token: api.tokens.viewer,
      });
    for (let i = 0; i < hosts.length; i += 10)
      await Promise.all(
        hosts.slice(i, i + 10).map(async (host) => desiredOf.set(host.id, await desiredConfig(host.id))),
      );
    for (const host of hosts) {
      const desired = desiredOf.get(host.id);
      assert.ok(desired);
      assert.equal(desired.status, 200, desired.text);
      assert.ok(desired.body.ok && desired.body.userVars, desired.text);
      const nutUserVars: Record<string, NutUserVarFacts> = {};
      for (const [name, value] of Object.entries(desired.body.userVars)) {
        if (name === 'NutPassword') nutUserVars[name] = { type: 'secret', set: host.name !== 'esx-002' };
        else if (typeof value === 'number') {
          const differs = host.name === 'esx-001' && changedVar === '';
          if (differs) changedVar = name;
          nutUserVars[name] = { type: 'integer', value: differs ? value + 7 : value, default: null };
        } else nutUserVars[name] = { type: 'string', value, default: null };
      }
      const discoveredAt = new Date().toISOString();
      const facts: HostFacts = {
        schemaVersion: HOST_FACTS_SCHEMA_VERSION,
        discoveredAt,
        reads: allReadsOk(discoveredAt),
        esxi: {
          product: 'VMware ESXi',
          version: '8.0.2',
          build: 'Releasebuild-1',
          buildNumber: 1,
          update: 2,
          patch: 0,
        },
        nics: [],
        vms: [],
        invalidVmIds: [],
        autostart: {
          defaults: { enabled: true, startDelay: 120, stopDelay: 120, waitForHeartbeat: false, stopAction: 'powerOff' },
          sequence: [],
        },
        nutClient:
          host.vibVersion === null
            ? { installed: false }
            : {
                installed: true,
                version: host.vibVersion,
                vendor: 'NUT',
                acceptanceLevel: 'CommunitySupported',
                installDate: null,
              },
        nutUserVars,
        acceptanceLevel: 'CommunitySupported',
        maintenanceMode: false,
      };
      await prisma.host.update({ where: { id: host.id }, data: { facts: facts as unknown as Prisma.InputJsonValue } });
    }
    assert.notEqual(changedVar, '', 'an integer UserVar to change');

    await page.goto(`${api.base}/ui/#/fleet`);
    await page.waitForSelector('#hosts [data-testid="drift"] .badge');
    const driftOf = async (name: string): Promise<{ text: string; title: string }> => {
      const cell = page.locator('#hosts tbody tr', { hasText: name }).locator('[data-testid="drift"]');
      return {
        text: (await cell.locator('.badge').textContent()) ?? '',
        // In-sync hosts have no tooltip: no waiting for one.
        title:
          (await cell.locator('[title]').count()) === 0
            ? ''
            : ((await cell.locator('[title]').getAttribute('title')) ?? ''),
      };
    };
    const uservar = await driftOf('esx-001');
    assert.equal(uservar.text, 'drift');
    assert.match(uservar.title, new RegExp(`${changedVar}: \\d+ → \\d+`));
    const password = await driftOf('esx-002');
    assert.equal(password.text, 'drift');
    assert.match(password.title, /NutPassword/);
    assert.equal(password.title.includes(bed.monitor.password), false, 'no password in the tooltip');
    assert.match((await driftOf('esx-004')).title, /NutClient not installed/);
    assert.equal((await driftOf('esx-003')).text, 'in sync');
    const html = await page.content();
    assert.equal(html.includes(bed.monitor.password), false, 'no NUT password anywhere on the page');
    await page.hover('#hosts tbody tr:nth-child(2) [data-testid="drift"] .drift');
    await shot('fleet-drift');
  });

  test('the rollouts view lists a rollout and follows its hosts live; an operator cancels it', async () => {
    const created = await api.call<{ id: string; planId: string }>('POST', '/rollouts', {
      token: api.tokens.operator,
      body: {
        action: 'configure',
        target: { hosts: ['esx-001', 'esx-002', 'esx-003'] },
        canaryCount: 1,
        maxInFlight: 2,
        reason: 'dashboard test',
      },
    });
    assert.equal(created.status, 201, created.text);
    const { id, planId } = created.body;
    await page.goto(`${api.base}/ui/#/rollouts`);
    await page.waitForSelector(`#rollouts a[href="#/rollouts/${id}"]`);
    assert.match((await page.locator('#rollouts tbody').textContent()) ?? '', /configure.*3 host\(s\)/);
    await shot('rollouts');
    await page.click(`#rollouts a[href="#/rollouts/${id}"]`);
    await page.waitForFunction(() => document.querySelectorAll('#rollout-hosts tbody tr').length === 3);
    await page.waitForSelector('#rollout-live:has-text("following live")');
    await page.evaluate(() => (window.marker = 7));

    // The worker's writes, as it would make them: the canary deploys, a host of wave 2 fails.
    const prisma = api.db.prisma;
    const steps = await prisma.planStep.findMany({
      where: { planId },
      include: { host: true },
      orderBy: { stage: 'asc' },
    });
    const step = (name: string) => {
      const found = steps.find((s) => s.host?.name === name);
      assert.ok(found, name);
      return found;
    };
    const journal = (...names: string[]) => ({
      journal: Object.fromEntries(names.map((n) => [n, { step: n, outcome: 'done', summary: `${n} ok` }])),
    });
    const canary = step('esx-001');
    await prisma.plan.update({ where: { id: planId }, data: { state: 'RUNNING', startedAt: new Date() } });
    await prisma.planStep.update({
      where: { id: canary.id },
      data: { state: 'RUNNING', startedAt: new Date(), attempts: 1, progress: journal('preflight') },
    });
    const rowOf = (name: string) => page.locator('#rollout-hosts tbody tr', { hasText: name });
    await waitFor(
      'canary running',
      async () => /RUNNING.*preflight/.test((await rowOf('esx-001').textContent()) ?? ''),
      10_000,
      200,
    );
    await prisma.planStep.update({
      where: { id: canary.id },
      data: {
        state: 'SUCCEEDED',
        finishedAt: new Date(),
        progress: journal('preflight', 'configure', 'restart-service', 'verify'),
      },
    });
    const failing = step('esx-002');
    await prisma.planStep.update({
      where: { id: failing.id },
      data: {
        state: 'FAILED',
        attempts: 3,
        startedAt: new Date(),
        finishedAt: new Date(),
        error: 'ssh: authentication failed',
        progress: journal('preflight'),
      },
    });
    await waitFor(
      'canary done, second host failed',
      async () => {
        const [a, b] = [(await rowOf('esx-001').textContent()) ?? '', (await rowOf('esx-002').textContent()) ?? ''];
        return /SUCCEEDED.*verify/.test(a) && /FAILED.*authentication failed/.test(b);
      },
      10_000,
      200,
    );
    assert.match((await rowOf('esx-003').textContent()) ?? '', /(PENDING|QUEUED)/);
    assert.equal(await page.evaluate(() => window.marker), 7, 'live: no reload');
    await shot('rollout-live');

    page.once('dialog', (dialog) => void dialog.accept());
    await page.click('#rollout-cancel');
    await waitFor(
      'pending host cancelled',
      async () => /CANCELLED/.test((await rowOf('esx-003').textContent()) ?? ''),
      10_000,
      200,
    );
    // The worker ends the plan; the page sees it on the stream and offers Resume.
    await prisma.plan.update({ where: { id: planId }, data: { state: 'CANCELLED', finishedAt: new Date() } });
    await page.waitForSelector('#rollout-resume', { timeout: 10_000 });
    assert.match((await page.locator('main h2').textContent()) ?? '', /configure.*CANCELLED/);
    await shot('rollout-cancelled');
  });

  test('a viewer sees no run buttons and no notification settings', async () => {
    await page.click('#sign-out');
    await signIn(api.tokens.viewer);
    await page.goto(`${api.base}/ui/#/plans`);
    await page.waitForSelector('#preview-button');
    assert.equal(await page.locator('#dry-run-button').count(), 0);
    assert.equal(await page.locator('#armed-button').count(), 0);
    // The dry run of the second test is listed; the rollout of the fifth is not (its own page).
    await page.waitForSelector('#plans-list tbody tr a');
    const plans = (await page.locator('#plans-list tbody').textContent()) ?? '';
    assert.match(plans, /shutdown · dry-run/);
    assert.doesNotMatch(plans, /rollout/);
    await page.goto(`${api.base}/ui/#/settings`);
    await page.waitForSelector('text=Notification settings need an admin token.');
    await page.goto(`${api.base}/ui/#/rollouts`);
    await page.click('#rollouts tbody a');
    await page.waitForSelector('#rollout-hosts tbody tr');
    assert.equal(await page.locator('#rollout-resume, #rollout-cancel').count(), 0, 'no rollout controls');
  });
});

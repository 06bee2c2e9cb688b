import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { type BrowserContext, chromium, type Page } from 'playwright-core';

import { sealSecret } from '@nutfleet/db';
import { type NutTestbed, startNutTestbed, waitFor } from '@nutfleet/testing';

import { type ApiTestApp, startApiTestApp } from './support/api-test-app';

const CHROMIUM = '/usr/bin/chromium';

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
  let browser: BrowserContext;
  let page: Page;
  let profile: string;

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
          feeds: { create: [{ upsId }] },
        },
      });
    }
    profile = mkdtempSync(join(tmpdir(), 'nutfleet-chromium-'));
    // A fresh profile directory per run (playwright passes it as --user-data-dir).
    browser = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
      viewport: { width: 1360, height: 900 },
    });
    page = browser.pages()[0] ?? (await browser.newPage());
  });

  after(async () => {
    await browser?.close();
    await api?.close();
    await bed?.stop();
    if (profile) rmSync(profile, { recursive: true, force: true });
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
    await shot('fleet');
    await page.click('text=Next →');
    await page.waitForFunction(() => document.querySelector('#hosts tbody tr td strong')?.textContent === 'esx-050');
    await page.fill('#host-search', 'esx-007');
    await page.waitForFunction(() => document.querySelectorAll('#hosts tbody tr').length === 1);
    assert.match((await page.locator('#hosts tbody').textContent()) ?? '', /esx-007.*trusted.*2\.7\.3-1/);
    const token = await page.evaluate(() => sessionStorage.getItem('nutfleet.token'));
    assert.equal(token, api.tokens.operator, 'the token lives in sessionStorage');
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

  test('a viewer sees no run buttons and no notification settings', async () => {
    await page.click('#sign-out');
    await signIn(api.tokens.viewer);
    await page.goto(`${api.base}/ui/#/plans`);
    await page.waitForSelector('#preview-button');
    assert.equal(await page.locator('#dry-run-button').count(), 0);
    assert.equal(await page.locator('#armed-button').count(), 0);
    await page.goto(`${api.base}/ui/#/settings`);
    await page.waitForSelector('text=Notification settings need an admin token.');
  });
});

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

import { type NutTestbed, startNutTestbed, waitFor } from '@nutfleet/testing';

import { type ApiTestApp, startApiTestApp } from './support/api-test-app';
import { launchTestBrowser, type TestBrowser } from './support/chromium';
import { insertNutServer, type InsertedNutServer, testbedServerRow } from './support/nut-server-rows';

/** Screenshots for people and CI artifacts (gitignored). */
const ARTIFACTS = resolve(__dirname, '../../../../test-artifacts/dashboard');

/** HH:MM:SS in this process's time zone, the browser's too (same machine, same TZ). */
const clock = (at: number | Date): string => {
  const d = new Date(at);
  return [d.getHours(), d.getMinutes(), d.getSeconds()].map((n) => String(n).padStart(2, '0')).join(':');
};

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
    // no on-battery trigger fires within the few seconds a UPS is on battery here.
    await prisma.policy.updateMany({
      where: { isDefault: true },
      data: { powerBackConfirmSeconds: 2, onBatterySeconds: null, chargeBelowPercent: null, runtimeBelowSeconds: null },
    });
    await prisma.host.create({
      data: {
        name: 'esx-a1',
        address: '10.9.0.1',
        trustState: 'TRUSTED',
        hostKeyFingerprint: `SHA256:${'B'.repeat(43)}`,
        feeds: { create: [{ upsId: server.upsId('ups1') }] },
      },
    });
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
    await page.waitForSelector('#outage-banner:not([hidden]) [data-testid="outage-headline"]', { timeout: 15_000 });
    const headline = await text('[data-testid="outage-headline"]');
    assert.match(headline, /ups1/, headline);
    assert.doesNotMatch(headline, /ups2/, 'the UPS still on line is not named');
    assert.match(
      headline,
      new RegExp(`at ${clock(outage.openedAt)}`),
      `${headline} vs ${outage.openedAt.toISOString()}`,
    );
    for (const hash of ['#/ups', '#/plans', '#/rollouts', '#/settings']) {
      await page.goto(`${api.base}/ui/${hash}`);
      await page.waitForSelector('#outage-banner:not([hidden]) [data-testid="outage-headline"]', { timeout: 10_000 });
    }
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
});

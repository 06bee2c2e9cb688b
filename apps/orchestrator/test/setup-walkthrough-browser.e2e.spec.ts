import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { type INestApplicationContext } from '@nestjs/common';
import { type Page } from 'playwright-core';

import {
  type EsxiFleet,
  type NutTestbed,
  type SimulatedHostInfo,
  startEsxiFleet,
  buildVibFixture,
  nutUserVarDefinitions,
  startNutTestbed,
  waitFor,
} from '@nutfleet/testing';

import { createWorkerApp } from '../../worker/src/worker.app';
import { type ApiTestApp, startApiTestApp } from './support/api-test-app';
import { launchTestBrowser, type TestBrowser } from './support/chromium';

/** Screenshots per step, for people and CI artifacts (gitignored). */
const ARTIFACTS = resolve(__dirname, '../../../../test-artifacts/dashboard/setup');
const HOSTS = ['esx-a', 'esx-b', 'esx-c', 'esx-old'];
/** esx-old already runs the NutClient VIB, configured by hand before nutfleet: it is adopted. */
const VIB = { name: 'upsmon', version: '2.8.5-2.7.3', vendor: 'Margar', acceptanceLevel: 'community' } as const;

/**
 * An administrator takes an empty nutfleet to a protected fleet through the dashboard alone: the
 * test clicks and types, and reads the screen; it never calls the API itself. Behind the page: a
 * real upsd + dummy-ups dressed as a Synology NAS (ups, monuser/secret), ESXi hosts simulated over
 * SSH, the worker in process.
 */
describe('set-up walkthrough in a real browser', { timeout: 300_000 }, () => {
  let api: ApiTestApp;
  let worker: INestApplicationContext;
  let bed: NutTestbed;
  let fleet: EsxiFleet;
  let sims: SimulatedHostInfo[];
  let browser: TestBrowser;
  let page: Page;
  const storage = mkdtempSync(join(tmpdir(), 'nutfleet-setup-artifacts-'));
  let step = 0;

  const shot = async (name: string): Promise<void> => {
    step += 1;
    await page.screenshot({ path: join(ARTIFACTS, `${String(step).padStart(2, '0')}-${name}.png`), fullPage: true });
  };
  const text = async (selector: string): Promise<string> => (await page.locator(selector).textContent()) ?? '';
  const row = (table: string, name: string) => page.locator(`${table} tbody tr`, { hasText: name });
  /** Polls what the page shows (Playwright reads, never the API). */
  const until = (what: string, check: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> =>
    waitFor(what, check, timeoutMs);

  before(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    bed = await startNutTestbed({
      upses: [
        { name: 'ups', description: 'Rack A' },
        { name: 'ups2', description: 'Rack B' },
      ],
      monitor: { username: 'monuser', password: 'secret' },
    });
    // The power monitor reads the UPSes the page adds (the preview checks the plan against their runtime).
    api = await startApiTestApp({
      ARTIFACT_STORAGE_DIR: storage,
      PLAN_RECONCILE_INTERVAL_MS: '1000',
      POWER_MONITOR_ENABLED: 'true',
      POWER_MONITOR_POLL_INTERVAL_MS: '500',
      POWER_MONITOR_INVENTORY_REFRESH_MS: '500',
      POWER_MONITOR_LEASE_TTL_MS: '3000',
    });
    worker = await createWorkerApp(api.config);
    fleet = await startEsxiFleet({
      // VMs with VMware Tools: a VM without them is a preview warning (it could only be suspended).
      hosts: HOSTS.map((hostname) => ({
        hostname,
        acceptanceLevel: 'CommunitySupported' as const,
        vms: [{ name: `${hostname}-app`, guestOs: 'debian11_64Guest', power: 'on' as const, tools: true }],
        ...(hostname === 'esx-old' ? { installedVibs: [{ ...VIB }] } : {}),
      })),
      seed: 'setup-walkthrough',
    });
    sims = fleet.info();
    const old = fleet.host(3);
    for (const def of nutUserVarDefinitions(VIB.version)) old.state.settings.create(def);
    old.state.settings.setString('/UserVars/NutUpsName', `ups2@${bed.host}:${bed.port}`);
    old.state.settings.setString('/UserVars/NutUser', 'monuser');
    old.state.settings.setString('/UserVars/NutPassword', 'secret');
    browser = await launchTestBrowser();
    page = browser.page;
    page.on('dialog', (d) => void d.accept());
    await page.goto(`${api.base}/`);
    await page.fill('#token', api.tokens.admin);
    await page.click('#sign-in');
    await page.waitForSelector('#nav a');
  });

  after(async () => {
    await browser?.close();
    await worker?.close();
    await fleet?.stop();
    await api?.close();
    await bed?.stop();
    rmSync(storage, { recursive: true, force: true });
  });

  test('a NUT server from the Synology preset; the test lists its UPSes and one click adds them', async () => {
    await page.click('#nav a[href="#/setup"]');
    await page.waitForSelector('#nut-form');
    await page.waitForSelector('#nut-preset option[value="synology-dsm"]', { state: 'attached' });
    await page.selectOption('#nut-preset', 'synology-dsm');
    assert.equal(await page.inputValue('#nut-port'), '3493');
    assert.equal(await page.inputValue('#nut-username'), 'monuser');
    assert.equal(await page.inputValue('#nut-password'), 'secret');
    assert.match(await text('#nut-preset-note'), /UPS name: ups.*Permitted DiskStation Devices/s);
    await shot('nut-preset');
    // The testbed's upsd listens on a free port, not 3493.
    await page.fill('#nut-name', 'nas-a');
    await page.fill('#nut-host', bed.host);
    await page.fill('#nut-port', String(bed.port));
    await page.click('#nut-save');
    await row('#nut-table', 'nas-a').waitFor();
    assert.match(
      (await row('#nut-table', 'nas-a').textContent()) ?? '',
      new RegExp(`127\\.0\\.0\\.1:${bed.port}.*monuser.*stored`),
    );

    await row('#nut-table', 'nas-a').getByRole('button', { name: 'Test' }).click();
    await page.waitForSelector('#nut-test-upses');
    assert.match(await text('#nut-test-panel'), /connected.*credentials accepted/s);
    assert.deepEqual(await page.locator('#nut-test-upses tbody tr td:first-child').allTextContents(), ['ups', 'ups2']);
    await shot('nut-test');
    await page.click('#nut-add-listed');
    await row('#ups-table', 'ups2@nas-a').waitFor();
    // Both rows, whatever order the two inserts committed in.
    assert.deepEqual((await page.locator('#ups-table tbody tr td:first-child').allTextContents()).sort(), [
      'ups2@nas-a',
      'ups@nas-a',
    ]);
    assert.match((await row('#ups-table', 'ups@nas-a').textContent()) ?? '', /Rack A/);
    await shot('upses-added');
  });

  test('a policy from the generated form: every engine setting explained, the values set shown', async () => {
    // Every field but name and description is an engine setting, each explained under it.
    const hints = await page.locator('#policy-form .field .muted.small').count();
    const fields = await page.locator('#policy-form .field').count();
    assert.ok(hints >= 27 && hints === fields - 2, `each policy setting is explained (${hints} of ${fields - 2})`);
    assert.match(await text('#policy-onBatterySeconds-hint'), /critical once its current on-battery episode/);
    await page.fill('#policy-name', 'site-a');
    await page.fill('#policy-onBatterySeconds', '120');
    await page.selectOption('#policy-vmFallbackAction', 'SUSPEND');
    await page.click('#policy-save');
    await row('#policy-table', 'site-a').waitFor();
    assert.match((await row('#policy-table', 'site-a').textContent()) ?? '', /120 s on battery.*then SUSPEND/);
    await shot('policy');
  });

  test('a CSV import reports the bad row by host name and writes nothing; fixed, it imports every host', async () => {
    const lines = sims.map((s, i) =>
      [HOSTS[i], s.address, s.port, s.username, s.password, 'site-a', i === 2 ? 1 : 0, 0, s.mac].join(','),
    );
    const header = 'name,address,sshPort,username,password,group,shutdownStage,restartWave,macAddresses';
    await page.fill('#import-csv', [header, ...lines, 'esx-bad,10.0.0.9,70000,root,,site-a,0,0,'].join('\n'));
    await page.click('#import-run');
    await page.waitForSelector('#import-errors');
    assert.deepEqual(await page.locator('#import-errors tbody tr').allTextContents(), [
      '6esx-badsshPortmust be an integer from 1 to 65535',
    ]);
    assert.equal(await page.locator('#host-table tbody tr[data-id]').count(), 0, 'nothing imported');
    await shot('import-refused');
    await page.fill('#import-csv', [header, ...lines].join('\n'));
    await page.click('#import-run');
    await until('4 host rows', async () => (await page.locator('#host-table tbody tr[data-id]').count()) === 4);
    assert.match(await text('#import-report'), /created 4/);
    const hostRows = await page.locator('#host-table tbody tr').allTextContents();
    assert.match(hostRows[0] ?? '', new RegExp(`esx-a.*${sims[0]?.port}.*untrusted.*site-a.*0 / 0`));
    assert.match(hostRows[2] ?? '', /esx-c.*1 \/ 0/);
    await shot('import-done');
  });

  test('bulk trust shows each presented fingerprint; accepting the selection trusts them all', async () => {
    await page.click('#trust-fetch');
    await page.waitForSelector('#trust-table');
    for (const [i, name] of HOSTS.entries()) {
      assert.equal(await page.locator(`#trust-table tr[data-host="${name}"] code`).textContent(), sims[i]?.fingerprint);
    }
    await shot('trust-keys');
    await page.click('#trust-all');
    await page.click('#trust-accept');
    await until('every host trusted', async () => (await text('#host-table tbody')).match(/untrusted/) === null);
    assert.match(await text('#trust-keys'), /Trusted 4 host/);
  });

  test('discovery of all hosts reads each one', async () => {
    await page.click('#discover-all');
    await until('discovery finished', async () => (await text('#discovery-status')).includes('finished'), 60_000);
    assert.match(await text('#discovery-status'), /4 of 4 host\(s\) read, 0 failed/);
    await until('versions shown', async () => !(await text('#host-table tbody')).includes('? /'));
    await shot('discovered');
  });

  test('power feeds: each host on its UPS', async () => {
    for (const name of HOSTS.slice(0, 3)) {
      await page.selectOption('#feed-hostId', { label: name });
      await page.selectOption('#feed-upsId', { label: name === 'esx-c' ? 'ups2@nas-a' : 'ups@nas-a' });
      await page.click('#feed-save');
      await row('#feed-table', name).waitFor();
    }
    const feeds: string[] = [];
    for (const tr of await page.locator('#feed-table tbody tr').all())
      feeds.push((await tr.locator('td').allTextContents()).slice(0, 3).join(' '));
    assert.deepEqual(feeds.sort(), ['esx-a ups@nas-a 1', 'esx-b ups@nas-a 1', 'esx-c ups2@nas-a 1']);
    await shot('feeds');
  });

  test('adoption: the host configured by hand gets the feed its NutUpsName implies, on the existing server', async () => {
    await page.click('#adoption-load');
    await page.waitForSelector('#adoption-servers');
    assert.match(await text('#adoption-servers tbody'), new RegExp(`nas-a.*${bed.port}.*monuser.*esx-old.*exists`));
    assert.match(await text('#adoption-upses'), /ups2@nas-a\. Power feeds to add: 1\./);
    await shot('adoption-proposal');
    await page.click('#adoption-apply');
    await until('adopted', async () => (await text('#adoption-body')).includes('Adopted'));
    assert.match(
      await text('#adoption-body'),
      /Adopted 1 host\(s\): created 0 NUT server\(s\), 0 UPS\(es\) and 1 power feed/,
    );
    await row('#feed-table', 'esx-old').waitFor();
    assert.match((await row('#feed-table', 'esx-old').textContent()) ?? '', /ups2@nas-a/);
  });

  test('the VIB uploaded from the rollout wizard is listed with its version and acceptance level', async () => {
    await page.goto(`${api.base}/ui/#/rollouts`);
    await page.click('#new-rollout');
    await page.waitForSelector('#artifact-file', { state: 'attached' });
    const vib = buildVibFixture();
    await page.setInputFiles('#artifact-file', {
      name: vib.fileName,
      mimeType: 'application/octet-stream',
      buffer: vib.bytes,
    });
    await page.click('#artifact-upload');
    await row('#artifact-table', vib.fileName).waitFor();
    assert.match(
      (await row('#artifact-table', vib.fileName).textContent()) ?? '',
      /upsmon 2\.8\.5-2\.7\.3.*vib.*community/,
    );
    await shot('artifact');
  });

  test('a canary rollout to every host: the canary alone first, then the others; all succeed', async () => {
    await page.waitForSelector('#ro-form');
    await page.fill('#ro-canaryCount', '1');
    await page.fill('#ro-maxInFlight', '2');
    assert.match(await text('#ro-waves'), /4 host\(s\): wave 1: 1 \(canary\), wave 2: 2, wave 3: 1\./);
    await shot('rollout-wizard');
    await page.click('#ro-save');
    await page.waitForSelector('#rollout-hosts tbody tr');
    assert.match(page.url(), /#\/rollouts\/[0-9a-f-]{36}$/);
    await until(
      'rollout succeeded',
      async () => (await text('#rollout-hosts tbody')).split('SUCCEEDED').length - 1 === 4,
      120_000,
    );
    const waves = await page.locator('#rollout-hosts tbody tr td:nth-child(2)').allTextContents();
    assert.deepEqual(waves.map(Number).sort(), [0, 1, 1, 2], 'canary wave of one, then waves of two');
    await shot('rollout-done');
  });

  test('the shutdown preview covers every host with no warning', async () => {
    await page.goto(`${api.base}/ui/#/plans`);
    await page.waitForSelector('#preview-button');
    await page.click('#preview-button');
    await page.waitForSelector('#preview-steps tbody tr');
    assert.match(await text('#preview-result'), /4\s*hosts/);
    assert.equal(await page.locator('#preview-result .notice.error').count(), 0, await text('#preview-result'));
    await shot('preview');
  });
});

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
import {
  BANNER_HEADLINE,
  bannerOnEveryPage,
  clock,
  clockSecondsBetween,
  hostResultRows,
  stepLabels,
} from './support/dashboard-screens';
import { STATE_CHANGING } from './support/outage-fleet';

/** Screenshots per step, for people and CI artifacts (gitignored). */
const ARTIFACTS = resolve(__dirname, '../../../../test-artifacts/dashboard/setup');
const HOSTS = ['esx-a', 'esx-b', 'esx-c', 'esx-old'];
/** esx-old already runs the NutClient VIB, configured by hand before nutfleet: it is adopted. */
const VIB = { name: 'upsmon', version: '2.8.5-2.7.3', vendor: 'Margar', acceptanceLevel: 'community' } as const;
/**
 * The policy's restart gate: power must stay back this long. The outage closes (and its restart
 * plan is made) once power has been back for the strictest powerBackConfirmSeconds of all
 * policies, the default policy's 10 s here: the gate still waits for 10 s then, time enough to read it.
 */
const STABLE_SECONDS = 20;
/**
 * A guest takes this long to shut down: the shutdown lasts long enough to be followed live. The
 * stage-1 host's VM takes longer, so the plan is still running while the test walks every page.
 */
const GUEST_SHUTDOWN_MS = 3000;
const LAST_STAGE_GUEST_SHUTDOWN_MS = 12_000;

/**
 * An administrator takes an empty nutfleet to a protected fleet through the dashboard alone: the
 * test clicks and types, and reads the screen; it never calls the API itself. Behind the page: a
 * real upsd + dummy-ups dressed as a Synology NAS (ups, monuser/secret), ESXi hosts simulated over
 * SSH, the worker in process. Then the outage an operator's world would bring: both UPSes go on
 * battery in that upsd, the fleet is shut down and, power back, restarted, followed on the screen.
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

  /** When power fails: what the simulated hosts did since is the outage's doing. */
  let onBatteryAt = 0;
  /** The banner's link to the automatic shutdown plan. */
  let shutdownHref = '';
  const SHUTDOWN_STEPS = HOSTS.flatMap((h) => [`${h} · stop VM ${h}-app`, `${h} · power off host`]).sort();
  const bannerPlanLink = (kind: 'shutdown' | 'restart') =>
    page.locator('#outage-banner [data-testid="banner-plan-link"]', {
      hasText: new RegExp(`^${kind} plan \\(armed\\) (PENDING|RUNNING): \\d/4 hosts done$`),
    });
  /** Seconds from a simulated host's event to the clock the page shows, within [min, max]. */
  const assertClockNear = (shown: string | undefined, at: number, min: number, max: number, what: string): void => {
    const seconds = clockSecondsBetween(shown ?? '', clock(at));
    assert.ok(seconds >= min && seconds <= max, `${what}: page says ${shown}, the host ${clock(at)}`);
  };
  const simOf = (name: string) => fleet.host(HOSTS.indexOf(name));
  const powerEvent = (name: string, event: string, since: number): number | undefined =>
    simOf(name).state.powerLog.find((e) => e.event === event && e.at >= since)?.at;

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
      PLAN_EVALUATE_INTERVAL_MS: '250',
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
        vms: [
          {
            name: `${hostname}-app`,
            guestOs: 'debian11_64Guest',
            power: 'on' as const,
            tools: true,
            guestShutdownMs: hostname === 'esx-c' ? LAST_STAGE_GUEST_SHUTDOWN_MS : GUEST_SHUTDOWN_MS,
          },
        ],
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
    // The outage at the end of the walkthrough restarts the fleet after a short stable-power wait.
    await page.fill('#policy-restartStableSeconds', String(STABLE_SECONDS));
    await page.click('#policy-save');
    await row('#policy-table', 'site-a').waitFor();
    assert.match((await row('#policy-table', 'site-a').textContent()) ?? '', /120 s on battery.*then SUSPEND/);
    await shot('policy');
  });

  test('a CSV import reports the bad row by host name and writes nothing; fixed, it imports every host', async () => {
    // Each host follows the policy above and is woken on the simulated fleet's Wake-on-LAN port.
    const wol = `${fleet.wolAddress},${fleet.wolPort}`;
    const lines = sims.map((s, i) =>
      [HOSTS[i], s.address, s.port, s.username, s.password, 'site-a', 'site-a', i === 2 ? 1 : 0, 0, s.mac, wol].join(
        ',',
      ),
    );
    const header =
      'name,address,sshPort,username,password,group,policy,shutdownStage,restartWave,macAddresses,wolBroadcast,wolPort';
    await page.fill(
      '#import-csv',
      [header, ...lines, `esx-bad,10.0.0.9,70000,root,,site-a,site-a,0,0,,${wol}`].join('\n'),
    );
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

  test('power fails: a banner on every page names the UPSes and links to the live shutdown plan', async () => {
    await page.goto(`${api.base}/ui/#/fleet`);
    await page.waitForSelector('#hosts tbody tr');
    assert.equal(await page.locator('#outage-banner').isVisible(), false, 'no banner while mains is on');
    // The NAS's UPSes lose mains and report a low battery: the trigger the policy acts on.
    onBatteryAt = Date.now();
    bed.setStatus('ups', 'OB LB');
    bed.setStatus('ups2', 'OB LB');
    await page.waitForSelector(BANNER_HEADLINE, { timeout: 15_000 });
    // Each dummy-ups picks its file up within a second: the banner may first name one UPS, then both.
    await waitFor(
      'the banner to name both UPSes',
      async () => /ups, ups2|ups2, ups/.test(await text('[data-testid="outage-headline"]')),
      15_000,
      100,
    );
    const headline = await text('[data-testid="outage-headline"]');
    const left = /^Power outage: (.+) left line power at (\d\d:\d\d:\d\d)/.exec(headline);
    assert.ok(left, headline);
    assert.deepEqual(left[1]?.split(', ').sort(), ['ups', 'ups2'], headline);
    assertClockNear(left[2], onBatteryAt, 0, 3, 'the outage opened when the UPSes went on battery');
    await bannerPlanLink('shutdown').waitFor({ timeout: 20_000 });
    shutdownHref = (await bannerPlanLink('shutdown').getAttribute('href')) ?? '';
    assert.match(shutdownHref, /^#\/plans\/[0-9a-f-]{36}$/);
    // The plan still runs (the last stage's guest takes its time): the banner links to it everywhere.
    await bannerOnEveryPage(page, api.base, undefined, async (hash) => {
      await page.locator(`#outage-banner a[href="${shutdownHref}"]`).waitFor({ timeout: 5000 });
      if (hash === '#/ups') await shot('outage-banner');
    });
  });

  test('the live shutdown plan names each step by host and VM, by stage; its per-host results match the hosts', async () => {
    await page.click(`#outage-banner a[href="${shutdownHref}"]`);
    await page.waitForSelector('[data-testid="step-label"]');
    assert.match(page.url(), new RegExp(`${shutdownHref}$`));
    assert.match(await text('main h2'), /^shutdown plan · armed (PENDING|RUNNING)/, 'followed while it runs');
    assert.deepEqual([...(await stepLabels(page))].sort(), SHUTDOWN_STEPS, 'no step left as "1 · vm-stop"');
    assert.deepEqual(await page.locator('[data-testid="step-group"]').allTextContents(), ['Stage 0', 'Stage 1']);
    await shot('shutdown-live');

    // The page follows the plan to its end by itself.
    await page.waitForSelector('#plan-results tbody tr', { timeout: 90_000 });
    assert.match(await text('main h2'), /^shutdown plan · armed SUCCEEDED/);
    const rows = await hostResultRows(page);
    assert.deepEqual(
      rows.map((r) => r[0]),
      [...HOSTS].sort(),
    );
    for (const [name = '', result, started, finished, , error] of rows) {
      const sim = simOf(name);
      // What the host itself did: its VM shut down by its guest, then the host off.
      assert.equal(sim.power, 'off', `${name} is off`);
      assert.deepEqual(
        sim.state.vms.map((vm) => [vm.name, vm.power]),
        [[`${name}-app`, 'off']],
      );
      const commands = sim.commandLog.filter((c) => c.at >= onBatteryAt && STATE_CHANGING.test(c.line));
      assert.match(commands[0]?.line ?? '', /vmsvc\/power\.shutdown/, `${name}: its VM's guest shut down first`);
      const offAt = powerEvent(name, 'off', onBatteryAt);
      assert.ok(commands[0] && offAt !== undefined, `${name} went down`);
      assert.deepEqual([result, error], ['SUCCEEDED', ''], name);
      assertClockNear(started, commands[0].at, -3, 0, `${name} started`);
      assertClockNear(finished, offAt, 0, 20, `${name} finished once down`);
    }
    await shot('shutdown-results');
  });

  test('the Fleet page shows the hosts the plan powered off as off, on what it rests', async () => {
    await page.goto(`${api.base}/ui/#/fleet`);
    await page.waitForSelector('#hosts tbody tr a[href^="#/hosts/"]');
    await page.selectOption('#host-power', 'on');
    await page.waitForSelector('#hosts tbody td:text("No host matches.")');
    await page.selectOption('#host-power', 'off');
    await until('4 hosts off', async () => (await page.locator('#hosts tbody tr a[href^="#/hosts/"]').count()) === 4);
    for (const tr of await page.locator('#hosts tbody tr').all()) {
      const name = (await tr.locator('strong a').textContent()) ?? '';
      assert.equal(simOf(name).power, 'off', name);
      const power = (await tr.locator('[data-testid="power"]').textContent()) ?? '';
      assert.match(power, /^off/, `${name}: ${power}`);
      assert.match(
        (await tr.locator('[data-testid="power-source"]').textContent()) ?? '',
        new RegExp(`^plan:${shutdownHref.slice('#/plans/'.length)}: powered off, verified down`),
      );
    }
    await shot('fleet-off');
  });

  test('power returns: the restart plan says until when its gate waits, wakes every host, and its results match them', async () => {
    const backAt = Date.now();
    bed.setStatus('ups', 'OL');
    bed.setStatus('ups2', 'OL');
    await bannerPlanLink('restart').waitFor({ timeout: 20_000 });
    await bannerPlanLink('restart').click();
    await page.waitForSelector('#plan-gates [data-testid="gate"]');
    const gate = page.locator('#plan-gates [data-testid="gate"]');
    let reason = '';
    await until('the gate reason', async () => {
      reason = (await gate.textContent()) ?? '';
      return reason.includes('waiting until');
    });
    const waiting = new RegExp(
      `^Wave 0: waiting until (\\d\\d:\\d\\d:\\d\\d) for ${STABLE_SECONDS} s of stable power on (.+)$`,
    ).exec(reason);
    assert.ok(waiting, reason);
    // Stable power counts from when the monitor saw the UPSes back on line (polled every 500 ms).
    assertClockNear(waiting[1], backAt + STABLE_SECONDS * 1000, 0, 3, 'the gate opens after stable power');
    assert.deepEqual(waiting[2]?.split(', ').sort(), ['ups', 'ups2']);
    assert.equal(
      HOSTS.every((name) => simOf(name).wolPacketsReceived === 0),
      true,
      'no host woken while the gate waits',
    );
    const labels = await stepLabels(page);
    for (const name of HOSTS) assert.ok(labels.includes(`${name} · wake (Wake-on-LAN)`), labels.join(', '));
    await shot('restart-gate');

    await page.waitForSelector('#plan-results tbody tr', { timeout: 90_000 });
    assert.match(await text('main h2'), /^restart plan · armed SUCCEEDED/);
    assert.match(await text('#plan-gates'), /Wave 0: opened at \d\d:\d\d:\d\d/);
    const rows = await hostResultRows(page);
    assert.deepEqual(
      rows.map((r) => r[0]),
      [...HOSTS].sort(),
    );
    for (const [name = '', result, started, finished, , error] of rows) {
      const sim = simOf(name);
      const woken = powerEvent(name, 'magic-packet', backAt);
      const booted = powerEvent(name, 'booted', backAt);
      assert.equal(sim.power, 'on', `${name} is back`);
      assert.deepEqual(
        sim.state.vms.map((vm) => [vm.name, vm.power]),
        [[`${name}-app`, 'on']],
        `${name}: its VM runs again`,
      );
      assert.ok(woken !== undefined && booted !== undefined, `${name} was woken and booted`);
      assert.deepEqual([result, error], ['SUCCEEDED', ''], name);
      assertClockNear(started, woken, -3, 0, `${name} started before its magic packet`);
      assertClockNear(finished, booted, 0, 20, `${name} finished once booted`);
    }
    await shot('restart-results');
    // Back on the Fleet page: every host on again, as the hosts are.
    await page.goto(`${api.base}/ui/#/fleet`);
    await until('4 hosts shown on', async () => {
      const power = await page.locator('#hosts [data-testid="power"]').allTextContents();
      return power.length === 4 && power.every((p) => p.startsWith('on'));
    });
    // Nothing running, the outage closed: the banner goes.
    await page.waitForSelector('#outage-banner[hidden]', { state: 'attached', timeout: 15_000 });
  });
});

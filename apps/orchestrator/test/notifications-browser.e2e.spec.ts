import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { type AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { type INestApplicationContext } from '@nestjs/common';
import { type Page } from 'playwright-core';
import { SMTPServer } from 'smtp-server';

import { type NutTestbed, startNutTestbed, waitFor } from '@nutfleet/testing';

import { createWorkerApp } from '../../worker/src/worker.app';
import { type ApiTestApp, startApiTestApp } from './support/api-test-app';
import { launchTestBrowser, type TestBrowser } from './support/chromium';
import { HttpReceiver } from './support/http-receiver';
import { insertNutServer, testbedServerRow } from './support/nut-server-rows';

/** Screenshots for people and CI artifacts (gitignored). */
const ARTIFACTS = resolve(__dirname, '../../../../test-artifacts/notifications');
const TOPIC = '/nutfleet-phone';
const NTFY_TOKEN = 'tk_browser-ntfy-token-42';

// An administrator sets notifications up in the dashboard alone: the test clicks and types in
// Debian's Chromium and makes no API call itself. What the page says is checked against what
// really arrived: local stand-ins for ntfy, Teams and Discord on 127.0.0.1, a local SMTP server,
// and a real upsd + dummy-ups read by the real power monitor for the threshold alert.
describe('notification settings in a real browser, delivered to local receivers', () => {
  let api: ApiTestApp;
  let worker: INestApplicationContext;
  let bed: NutTestbed;
  let receiver: HttpReceiver;
  let smtp: SMTPServer;
  let smtpPort: number;
  const mails: string[] = [];
  let browser: TestBrowser;
  let page: Page;
  let upsAddress = '';

  const shot = async (name: string): Promise<void> => {
    await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
  };
  const message = (): Promise<string> => page.locator('#notify-message').innerText();
  const channelRow = (name: string) => page.locator(`#channels tr[data-channel="${name}"]`);
  const waitText = async (selector: string, pattern: RegExp, timeout = 20_000): Promise<void> => {
    await page.locator(selector).filter({ hasText: pattern }).first().waitFor({ timeout });
  };

  before(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    bed = await startNutTestbed({ upses: 1 });
    receiver = await HttpReceiver.start();
    smtp = new SMTPServer({
      disabledCommands: ['STARTTLS', 'AUTH'],
      authOptional: true,
      onData(stream, _session, callback) {
        let raw = '';
        stream.on('data', (chunk: Buffer) => (raw += chunk.toString('utf8')));
        stream.on('end', () => {
          mails.push(raw);
          callback();
        });
      },
      logger: false,
    });
    await new Promise<void>((done) => smtp.listen(0, '127.0.0.1', done));
    smtpPort = (smtp.server.address() as AddressInfo).port;
    api = await startApiTestApp({
      POWER_MONITOR_ENABLED: 'true',
      POWER_MONITOR_POLL_INTERVAL_MS: '500',
      POWER_MONITOR_INVENTORY_REFRESH_MS: '500',
      POWER_MONITOR_LEASE_TTL_MS: '3000',
      NOTIFY_DISPATCH_INTERVAL_MS: '300',
      NOTIFY_SEND_TIMEOUT_MS: '5000',
    });
    worker = await createWorkerApp(api.config);
    await worker.init();
    // The inventory as earlier set-up left it (not what this test is about): one UPS feeding two hosts.
    const server = await insertNutServer(api.db.prisma, api.config.secretKey, testbedServerRow(bed, 'site-b'));
    const upsId = server.upsId('ups1');
    upsAddress = `ups1@${bed.host}:${bed.port}`;
    for (const name of ['esx-b1', 'esx-b2'])
      await api.db.prisma.host.create({
        data: { name, address: `10.8.0.${name.slice(-1)}`, feeds: { create: [{ upsId }] } },
      });
    browser = await launchTestBrowser();
    page = browser.page;
  });

  after(async () => {
    await browser?.close();
    await worker?.close();
    await api?.close();
    await bed?.stop();
    await receiver?.close();
    await new Promise<void>((done) => (smtp ? smtp.close(() => done()) : done()));
  });

  test('an admin adds an ntfy channel, and "Send test" reports the delivery the receiver got', async () => {
    await page.goto(`${api.base}/`);
    await page.fill('#token', api.tokens.admin);
    await page.click('#sign-in');
    await page.waitForSelector('#nav a');
    await page.goto(`${api.base}/ui/#/settings`);
    await waitText('#channels', /No channel yet/);

    await page.selectOption('#ch-kind', 'NTFY');
    assert.equal(await page.locator('#ch-smtp-host').isVisible(), false, 'e-mail fields hidden for ntfy');
    assert.equal(await page.locator('#ch-signing').isVisible(), false);
    await page.fill('#ch-name', 'phone');
    await page.fill('#ch-url', `${receiver.base}${TOPIC}`);
    await page.fill('#ch-token', NTFY_TOKEN);
    assert.equal(await page.isChecked('#ch-all-events'), true, 'a new channel takes every event by default');
    await page.click('#ch-save');
    await channelRow('phone').waitFor();
    assert.match(await message(), /Channel phone added\./);
    const row = await channelRow('phone').innerText();
    assert.match(row, /ntfy/);
    assert.match(row, new RegExp(`127\\.0\\.0\\.1:${new URL(receiver.base).port}`));
    assert.match(row, /all events \(warning and above\)/);
    const html = await page.content();
    assert.ok(!html.includes(TOPIC) && !html.includes(NTFY_TOKEN), 'neither the topic nor the token is on the page');

    await channelRow('phone').getByRole('button', { name: 'Send test' }).click();
    await waitText('#notify-message', /Test message to phone delivered\./);
    const push = receiver.to(TOPIC)[0];
    assert.ok(push, 'the receiver got the test');
    assert.equal(push.headers.title, 'nutfleet test notification for phone');
    assert.equal(push.headers.authorization, `Bearer ${NTFY_TOKEN}`);
    await waitText('#channels tr[data-channel="phone"]', /ok/);
    await waitText('#deliveries', /phone.*test.*SENT/s);
    await shot('channel-test-delivered');
  });

  test('routing edited to threshold alerts; a load threshold fires once, naming the UPS and its hosts, then recovers', async () => {
    await channelRow('phone').getByRole('button', { name: 'Edit' }).click();
    assert.equal(await page.inputValue('#ch-name'), 'phone');
    assert.equal(await page.isDisabled('#ch-kind'), true, 'the kind is fixed');
    assert.equal(await page.inputValue('#ch-url'), '', 'the stored URL is never sent back to the page');
    await page.uncheck('#ch-all-events');
    await page.check('input[name="event"][value="threshold.alert"]');
    await page.check('input[name="event"][value="threshold.recovered"]');
    await page.selectOption('#ch-sev', 'INFO');
    await page.click('#ch-save');
    await waitText('#notify-message', /Channel phone saved\./);
    await waitText(
      '#channels tr[data-channel="phone"]',
      /Threshold crossed \(load, runtime, charge\), Threshold back to normal \(info and above\)/,
    );

    await page.selectOption('#th-ups', { label: 'ups1@site-b' });
    await page.selectOption('#th-metric', 'LOAD');
    assert.equal((await page.locator('#th-unit').innerText()).trim(), '%');
    await page.fill('#th-value', '80');
    await page.click('#th-save');
    await waitText('#notify-message', /Threshold alert "load above 80 %" added\./);
    await waitText('#thresholds', /load above 80 %.*recovers at 75 %.*normal/s);
    assert.equal(await page.locator('#threshold-routing-note .notice').count(), 0, 'a channel receives these alerts');
    await shot('threshold-added');

    bed.setVariables('ups1', { 'ups.load': '92' });
    const alert = await receiver.next(TOPIC, 'threshold alert', (r) => /is above 80 %/.test(String(r.headers.title)));
    assert.equal(alert.headers.title, `UPS ${upsAddress} load 92 % is above 80 %`);
    assert.match(alert.body, /It feeds 2 hosts: esx-b1, esx-b2\./);
    await waitText('#thresholds [data-testid="threshold-state"]', /in alert.*ups1@.*: 92 %/s);
    await waitText('#deliveries', /threshold\.alert \(warning\).*SENT/s);
    await shot('threshold-in-alert');

    bed.setVariables('ups1', { 'ups.load': '50' });
    const recovery = await receiver.next(TOPIC, 'recovery', (r) => /back to 50 %/.test(String(r.headers.title)));
    assert.match(recovery.body, /is over\. It feeds 2 hosts: esx-b1, esx-b2\./);
    await waitText('#thresholds [data-testid="threshold-state"]', /normal/);
    assert.equal(
      receiver.to(TOPIC).filter((r) => /is above 80 %/.test(String(r.headers.title))).length,
      1,
      'one alert for one crossing',
    );
    await shot('threshold-recovered');
  });

  test('e-mail with port and security, a failing Teams channel, Discord added then deleted', async () => {
    await page.selectOption('#ch-kind', 'EMAIL');
    assert.equal(await page.locator('#ch-url').isVisible(), false, 'no URL for e-mail');
    await page.fill('#ch-name', 'ops-mail');
    await page.fill('#ch-smtp-host', '127.0.0.1');
    await page.selectOption('#ch-smtp-security', 'tls');
    assert.equal(await page.inputValue('#ch-smtp-port'), '465', 'the default port follows the security');
    await page.selectOption('#ch-smtp-security', 'none');
    assert.equal(await page.inputValue('#ch-smtp-port'), '25');
    await page.fill('#ch-smtp-port', String(smtpPort));
    await page.fill('#ch-from', 'nutfleet@example.com');
    await page.fill('#ch-to', 'oncall@example.com, boss@example.com');
    await page.click('#ch-save');
    await channelRow('ops-mail').waitFor();
    assert.match(await channelRow('ops-mail').innerText(), new RegExp(`127\\.0\\.0\\.1:${smtpPort} \\(none\\)`));
    await channelRow('ops-mail').getByRole('button', { name: 'Send test' }).click();
    await waitText('#notify-message', /Test message to ops-mail delivered\./);
    assert.ok(mails.some((m) => /Subject: \[nutfleet INFO\] nutfleet test notification for ops-mail/.test(m)));
    assert.ok(mails.some((m) => /To: oncall@example\.com, boss@example\.com/.test(m)));

    receiver.answer('/workflows/gone', { status: 404, body: 'workflow not found' });
    await page.selectOption('#ch-kind', 'TEAMS');
    await page.fill('#ch-name', 'teams');
    await page.fill('#ch-url', `${receiver.base}/workflows/gone?sig=teams-signature`);
    await page.click('#ch-save');
    await channelRow('teams').waitFor();
    await channelRow('teams').getByRole('button', { name: 'Send test' }).click();
    await waitText('#notify-message', /Test message to teams failed: teams 127\.0\.0\.1:\d+ answered HTTP 404/);
    await waitText('#channels tr[data-channel="teams"]', /failing/);
    assert.equal(receiver.to('/workflows/gone').length, 1, 'a 404 is not retried');
    assert.ok(!(await page.content()).includes('teams-signature'));
    await shot('channel-failing');

    await page.selectOption('#ch-kind', 'DISCORD');
    await page.fill('#ch-name', 'discord');
    await page.fill('#ch-url', `${receiver.base}/api/webhooks/7/discord-secret`);
    await page.click('#ch-save');
    await channelRow('discord').getByRole('button', { name: 'Send test' }).click();
    await waitText('#notify-message', /Test message to discord delivered\./);
    const embed = JSON.parse(receiver.to('/api/webhooks/7/discord-secret')[0]?.body ?? '{}') as {
      embeds: { title: string }[];
    };
    assert.equal(embed.embeds[0]?.title, 'nutfleet test notification for discord');
    page.once('dialog', (dialog) => void dialog.accept());
    await channelRow('discord').getByRole('button', { name: 'Delete' }).click();
    await waitText('#notify-message', /Channel discord deleted\./);
    await waitFor('row gone', async () => (await channelRow('discord').count()) === 0, 10_000, 100);
    assert.equal(await channelRow('phone').count(), 1, 'the other channels stay');
    await shot('channels');
  });
});

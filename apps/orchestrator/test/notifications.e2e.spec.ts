import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { type INestApplicationContext } from '@nestjs/common';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';

import { RESTART_GATE_ACTION } from '@nutfleet/plan';
import { waitFor } from '@nutfleet/testing';

import { createWorkerApp } from '../../worker/src/worker.app';
import { type ApiTestApp, startApiTestApp } from './support/api-test-app';
import { HttpReceiver } from './support/http-receiver';

interface Mail {
  user: string | undefined;
  secure: boolean;
  raw: string;
}
interface Delivery {
  id: string;
  state: string;
  attempts: number;
  lastError: string | null;
  eventType: string;
  channelName: string;
}

const SMTP_PASSWORD = 'smtp-Pa55word-never-shown';
const SLACK_PATH = '/services/T0000/B0000/slack-secret-token';
const SIGNING_SECRET = 'a-signing-secret-of-32-characters';

/** A self-signed certificate for 127.0.0.1, made with openssl for this run only. */
function selfSignedCertificate(): { key: string; cert: string } {
  const dir = mkdtempSync(join(tmpdir(), 'nutfleet-smtp-'));
  try {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=127.0.0.1',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
      ],
      { stdio: 'ignore' },
    );
    return { key: readFileSync(join(dir, 'key.pem'), 'utf8'), cert: readFileSync(join(dir, 'cert.pem'), 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// A local SMTP server that requires AUTH (only after STARTTLS) and a local HTTP receiver that
// fails on demand; the orchestrator dispatches, an in-process worker sends.
describe('notifications: every channel kind delivered to local receivers, edit, delete, retries, errors', () => {
  let api: ApiTestApp;
  let worker: INestApplicationContext;
  let smtp: SMTPServer;
  let smtpPort: number;
  let tlsSmtp: SMTPServer;
  let tlsSmtpPort: number;
  let receiver: HttpReceiver;
  let httpBase: string;
  let cert: string;
  const mails: Mail[] = [];

  async function delivery(id: string): Promise<Delivery> {
    return (await api.call<Delivery>('GET', `/notifications/deliveries/${id}`)).body;
  }

  async function deliveriesOf(channelId: string): Promise<Delivery[]> {
    return (await api.call<{ items: Delivery[] }>('GET', `/notifications/deliveries?channelId=${channelId}`)).body
      .items;
  }

  /** Both SMTP servers keep what they receive, with who sent it and whether over TLS. */
  const recordMail: SMTPServerOptions['onData'] = (stream, session, callback) => {
    let raw = '';
    stream.on('data', (chunk: Buffer) => (raw += chunk.toString('utf8')));
    stream.on('end', () => {
      mails.push({ user: session.user as string | undefined, secure: session.secure, raw });
      callback();
    });
  };

  before(async () => {
    const tls = selfSignedCertificate();
    cert = tls.cert;
    smtp = new SMTPServer({
      key: tls.key,
      cert: tls.cert,
      authMethods: ['PLAIN', 'LOGIN'],
      // AUTH is refused on a clear connection (smtp-server's default): STARTTLS must come first.
      allowInsecureAuth: false,
      onAuth(auth, _session, callback) {
        if (auth.username === 'alerts' && auth.password === SMTP_PASSWORD) callback(null, { user: 'alerts' });
        else callback(new Error('Invalid username or password'));
      },
      onData: recordMail,
      logger: false,
    });
    await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
    smtpPort = (smtp.server.address() as AddressInfo).port;

    // Implicit TLS from the first byte (port 465 style), no AUTH.
    tlsSmtp = new SMTPServer({
      secure: true,
      key: tls.key,
      cert: tls.cert,
      authOptional: true,
      onData: recordMail,
      logger: false,
    });
    await new Promise<void>((resolve) => tlsSmtp.listen(0, '127.0.0.1', resolve));
    tlsSmtpPort = (tlsSmtp.server.address() as AddressInfo).port;

    receiver = await HttpReceiver.start();
    httpBase = receiver.base;

    api = await startApiTestApp({ NOTIFY_DISPATCH_INTERVAL_MS: '200', NOTIFY_SEND_TIMEOUT_MS: '5000' });
    worker = await createWorkerApp(api.config);
    await worker.init();
  });

  after(async () => {
    await worker?.close();
    await api?.close();
    await new Promise<void>((resolve) => smtp?.close(() => resolve()));
    await new Promise<void>((resolve) => tlsSmtp?.close(() => resolve()));
    await receiver?.close();
  });

  let mailId = '';
  let slackId = '';
  let hookId = '';

  test('channels are admin-only and never return their secrets', async () => {
    const email = await api.call<{ id: string; email: { hasPassword: boolean; security: string } }>(
      'POST',
      '/notifications/channels',
      {
        body: {
          name: 'ops-mail',
          kind: 'EMAIL',
          smtpHost: '127.0.0.1',
          smtpPort,
          smtpSecurity: 'starttls',
          smtpUsername: 'alerts',
          smtpPassword: SMTP_PASSWORD,
          smtpFrom: 'nutfleet@example.com',
          smtpTo: ['oncall@example.com'],
          smtpCaPem: cert,
          routes: [{ eventTypes: ['ups.on-battery', 'ups.low-battery'], minSeverity: 'WARNING' }],
        },
      },
    );
    assert.equal(email.status, 201, email.text);
    assert.equal(email.body.email.hasPassword, true);
    mailId = email.body.id;
    const slack = await api.call<{ id: string; webhook: { urlHost: string } }>('POST', '/notifications/channels', {
      body: {
        name: 'ops-slack',
        kind: 'SLACK',
        webhookUrl: `${httpBase}${SLACK_PATH}`,
        routes: [{ minSeverity: 'WARNING' }],
      },
    });
    assert.equal(slack.status, 201, slack.text);
    slackId = slack.body.id;
    const hook = await api.call<{ id: string }>('POST', '/notifications/channels', {
      body: {
        name: 'siem',
        kind: 'WEBHOOK',
        webhookUrl: `${httpBase}/hook`,
        webhookSigningSecret: SIGNING_SECRET,
        routes: [{ eventTypes: ['ups.on-battery'] }],
      },
    });
    assert.equal(hook.status, 201, hook.text);
    hookId = hook.body.id;

    const missing = await api.call<{ fields: { field: string }[] }>('POST', '/notifications/channels', {
      body: { name: 'bad', kind: 'EMAIL', smtpHost: 'x.example' },
    });
    assert.equal(missing.status, 422);
    assert.deepEqual(missing.body.fields.map((f) => f.field).sort(), ['smtpFrom', 'smtpTo']);
    // A lone surrogate made the e-mail validator throw (500): it is just not an address.
    const garbled = await api.call<{ fields: { field: string; reason: string }[] }>('POST', '/notifications/channels', {
      body: {
        name: 'garbled',
        kind: 'EMAIL',
        smtpHost: 'x.example',
        smtpFrom: 'a\ud800@example.com',
        smtpTo: ['\ud800'],
      },
    });
    assert.equal(garbled.status, 400, garbled.text);
    assert.deepEqual(garbled.body.fields, [
      { field: 'smtpFrom', reason: 'must be an e-mail address' },
      { field: 'smtpTo', reason: 'each must be an e-mail address' },
    ]);
    assert.equal((await api.call('GET', '/notifications/channels', { token: api.tokens.operator })).status, 403);
    assert.equal((await api.call('GET', '/notifications/catalog', { token: api.tokens.viewer })).status, 200);
    const listed = await api.call('GET', '/notifications/channels');
    assert.equal(listed.status, 200);
    for (const text of api.responses) {
      assert.ok(
        !text.includes(SMTP_PASSWORD) && !text.includes('slack-secret-token') && !text.includes(SIGNING_SECRET),
        'a secret leaked',
      );
    }
  });

  test('"send test" goes through SMTP after STARTTLS with AUTH', async () => {
    const sent = await api.call<Delivery>('POST', `/notifications/channels/${mailId}/test`);
    assert.equal(sent.status, 202, sent.text);
    await waitFor('test mail sent', async () => (await delivery(sent.body.id)).state === 'SENT', 20_000, 200);
    const mail = mails.at(-1);
    assert.ok(mail);
    assert.equal(mail.user, 'alerts');
    assert.equal(mail.secure, true, 'the message went over TLS (STARTTLS)');
    assert.match(mail.raw, /Subject: \[nutfleet INFO\] nutfleet test notification for ops-mail/);
    assert.match(mail.raw, /To: oncall@example\.com/);
    const channel = (await api.call<{ lastSuccessAt: string | null }>('GET', `/notifications/channels/${mailId}`)).body;
    assert.ok(channel.lastSuccessAt);
  });

  test('UPS on battery: mail, Slack blocks and JSON webhook (retried after two 500s), routed by type and severity', async () => {
    receiver.answer('/hook', { status: 500, body: 'receiver down', times: 2 });
    const server = await api.db.prisma.nutServer.create({
      data: {
        name: 'site-a',
        host: 'nut.example',
        port: 3493,
        upses: { create: [{ name: 'ups1', variables: { 'battery.charge': '87', 'battery.runtime': '1500' } }] },
      },
      include: { upses: true },
    });
    const upsId = server.upses[0]?.id ?? '';
    await api.db.prisma.powerEvent.create({
      data: { type: 'STATUS_CHANGE', upsId, status: 'OB DISCHRG', previousStatus: 'OL' },
    });

    await waitFor('mail about the outage', async () => mails.some((m) => m.raw.includes('is on battery')), 20_000, 200);
    const mail = mails.find((m) => m.raw.includes('is on battery'));
    assert.match(mail?.raw ?? '', /Subject: \[nutfleet WARNING\] UPS ups1@nut\.example:3493 is on battery/);
    assert.match(mail?.raw ?? '', /Battery charge: 87 %/);

    const slack = JSON.parse((await receiver.next(SLACK_PATH, 'Slack message')).body) as {
      text: string;
      blocks: { type: string; text?: { text: string } }[];
    };
    assert.match(slack.text, /^WARNING: UPS ups1@nut\.example:3493 is on battery/);
    assert.equal(slack.blocks[0]?.type, 'section');
    assert.match(slack.blocks[0]?.text?.text ?? '', /:warning: \*UPS ups1@nut\.example:3493 is on battery\*/);

    // The JSON receiver fails twice; BullMQ retries with backoff and the third attempt lands.
    await waitFor(
      'webhook delivered after retries',
      async () => (await deliveriesOf(hookId))[0]?.state === 'SENT',
      30_000,
      250,
    );
    const [hookDelivery] = await deliveriesOf(hookId);
    assert.equal(hookDelivery?.attempts, 3);
    const calls = receiver.to('/hook');
    assert.equal(calls.length, 3);
    const last = calls.at(-1);
    const body = JSON.parse(last?.body ?? '{}') as {
      eventType: string;
      severity: string;
      refs: { upsId: string };
      fields: { label: string; value: string }[];
    };
    assert.equal(body.eventType, 'ups.on-battery');
    assert.equal(body.severity, 'WARNING');
    assert.equal(body.refs.upsId, upsId);
    assert.equal(
      last?.headers['x-nutfleet-signature'],
      `sha256=${createHmac('sha256', SIGNING_SECRET)
        .update(last?.body ?? '')
        .digest('hex')}`,
    );

    // Routing: ups.on-line (INFO) reaches nobody; the mail channel only takes its two types.
    await api.db.prisma.powerEvent.create({
      data: { type: 'STATUS_CHANGE', upsId, status: 'OL CHRG', previousStatus: 'OB DISCHRG' },
    });
    await api.db.prisma.powerEvent.create({ data: { type: 'COMM_LOST', upsId } });
    await waitFor(
      'comm-lost to Slack',
      async () => (await deliveriesOf(slackId)).some((d) => d.eventType === 'ups.comm-lost'),
      20_000,
      200,
    );
    assert.ok(
      !(await deliveriesOf(mailId)).some((d) => d.eventType === 'ups.comm-lost' || d.eventType === 'ups.on-line'),
    );
    assert.ok(!(await deliveriesOf(slackId)).some((d) => d.eventType === 'ups.on-line'));
  });

  test('a channel that keeps failing is reported on the delivery and the channel; plans are not held up', async () => {
    const down = await api.call<{ id: string }>('POST', '/notifications/channels', {
      body: { name: 'down', kind: 'WEBHOOK', webhookUrl: `${httpBase}/down` },
    });
    receiver.answer('/down', { status: 500, body: 'receiver down' });
    const sent = await api.call<Delivery>('POST', `/notifications/channels/${down.body.id}/test`);
    await waitFor('first failure recorded', async () => (await delivery(sent.body.id)).attempts >= 1, 20_000, 200);
    const d = await delivery(sent.body.id);
    assert.equal(d.state, 'PENDING', 'still being retried');
    assert.match(d.lastError ?? '', /answered HTTP 500/);
    assert.doesNotMatch(d.lastError ?? '', /\/down/, 'the URL path is not in the error');
    const channel = (
      await api.call<{ lastError: string | null; lastFailureAt: string | null }>(
        'GET',
        `/notifications/channels/${down.body.id}`,
      )
    ).body;
    assert.ok(channel.lastFailureAt);
    assert.match(channel.lastError ?? '', /HTTP 500/);
  });

  interface Channel {
    id: string;
    name: string;
    kind: string;
    routes: { eventTypes: string[]; minSeverity: string }[];
    webhook: { urlHost: string; hasToken: boolean } | null;
    email: { port: number; security: string } | null;
  }

  const createChannel = async (body: Record<string, unknown>): Promise<Channel> => {
    const created = await api.call<Channel>('POST', '/notifications/channels', { body });
    assert.equal(created.status, 201, created.text);
    return created.body;
  };

  const sendTest = async (channelId: string): Promise<Delivery> => {
    const sent = await api.call<Delivery>('POST', `/notifications/channels/${channelId}/test`);
    assert.equal(sent.status, 202, sent.text);
    await waitFor('test delivered', async () => (await delivery(sent.body.id)).state !== 'PENDING', 20_000, 200);
    return delivery(sent.body.id);
  };

  test('ntfy, Gotify, Teams and Discord: "send test" reaches each local receiver in its own format', async () => {
    const NTFY_TOKEN = 'tk_ntfy-access-token-0001';
    const GOTIFY_TOKEN = 'AgotifyAppToken01';
    const ntfy = await createChannel({
      name: 'phone-ntfy',
      kind: 'NTFY',
      webhookUrl: `${httpBase}/nutfleet-alerts`,
      webhookToken: NTFY_TOKEN,
    });
    assert.deepEqual(ntfy.webhook, { urlHost: httpBase.slice(7), hasSigningSecret: false, hasToken: true });
    const gotify = await createChannel({
      name: 'gotify',
      kind: 'GOTIFY',
      webhookUrl: `${httpBase}/gotify/`,
      webhookToken: GOTIFY_TOKEN,
    });
    const teams = await createChannel({
      name: 'teams',
      kind: 'TEAMS',
      webhookUrl: `${httpBase}/workflows/t1?sig=teamsig`,
    });
    const discord = await createChannel({
      name: 'discord',
      kind: 'DISCORD',
      webhookUrl: `${httpBase}/api/webhooks/42/discord-token-xyz`,
    });
    for (const c of [ntfy, gotify, teams, discord]) assert.equal((await sendTest(c.id)).state, 'SENT', c.name);

    const push = await receiver.next('/nutfleet-alerts', 'ntfy message');
    assert.equal(push.method, 'POST');
    assert.equal(push.headers.title, 'nutfleet test notification for phone-ntfy');
    assert.equal(push.headers.priority, '3');
    assert.equal(push.headers.tags, 'information_source,nutfleet,test');
    assert.equal(push.headers.authorization, `Bearer ${NTFY_TOKEN}`);
    assert.match(push.body, /If you read this, the channel works\./);

    const g = await receiver.next('/gotify/message', 'Gotify message');
    assert.equal(g.headers['x-gotify-key'], GOTIFY_TOKEN);
    const gBody = JSON.parse(g.body) as { title: string; message: string; priority: number };
    assert.equal(gBody.title, 'nutfleet test notification for gotify');
    assert.equal(gBody.priority, 3);

    const t = await receiver.next('/workflows/t1', 'Teams card');
    assert.match(t.path, /sig=teamsig$/, 'the whole configured URL, query included');
    const card = JSON.parse(t.body) as {
      attachments: { contentType: string; content: { body: { text?: string }[] } }[];
    };
    assert.equal(card.attachments[0]?.contentType, 'application/vnd.microsoft.card.adaptive');
    assert.equal(card.attachments[0]?.content.body[0]?.text, 'INFO: nutfleet test notification for teams');

    const d = await receiver.next('/api/webhooks/42/discord-token-xyz', 'Discord embed');
    const embed = JSON.parse(d.body) as { embeds: { title: string }[]; allowed_mentions: { parse: string[] } };
    assert.equal(embed.embeds[0]?.title, 'nutfleet test notification for discord');
    assert.deepEqual(embed.allowed_mentions.parse, []);

    const missing = await api.call<{ fields: { field: string }[] }>('POST', '/notifications/channels', {
      body: { name: 'no-token', kind: 'GOTIFY', webhookUrl: `${httpBase}/g` },
    });
    assert.equal(missing.status, 422);
    assert.deepEqual(
      missing.body.fields.map((f) => f.field),
      ['webhookToken'],
    );
    const foreign = await api.call<{ fields: { field: string }[] }>('POST', '/notifications/channels', {
      body: {
        name: 'mixed',
        kind: 'DISCORD',
        webhookUrl: `${httpBase}/x`,
        smtpHost: 'mail.example',
        webhookToken: 't',
      },
    });
    assert.equal(foreign.status, 422);
    assert.deepEqual(foreign.body.fields.map((f) => f.field).sort(), ['smtpHost', 'webhookToken']);
    const noTopic = await api.call('POST', '/notifications/channels', {
      body: { name: 'ntfy-root', kind: 'NTFY', webhookUrl: `${httpBase}/` },
    });
    assert.equal(noTopic.status, 422);
    for (const text of api.responses)
      for (const secret of [NTFY_TOKEN, GOTIFY_TOKEN, 'teamsig', 'discord-token-xyz', 'nutfleet-alerts'])
        assert.ok(!text.includes(secret), `${secret} leaked in an API response`);
  });

  test('edit: new URL and routes take effect, the token can be cleared; delete removes the channel', async () => {
    const ch = await createChannel({
      name: 'edited',
      kind: 'NTFY',
      webhookUrl: `${httpBase}/old-topic`,
      webhookToken: 'tk_to-be-cleared',
      routes: [{ eventTypes: ['plan.failed'], minSeverity: 'CRITICAL' }],
    });
    const patched = await api.call<Channel>('PATCH', `/notifications/channels/${ch.id}`, {
      body: {
        name: 'edited-ntfy',
        webhookUrl: `${httpBase}/new-topic`,
        webhookToken: null,
        routes: [{ eventTypes: ['ups.on-battery', 'threshold.alert'], minSeverity: 'WARNING' }],
      },
    });
    assert.equal(patched.status, 200, patched.text);
    assert.equal(patched.body.name, 'edited-ntfy');
    assert.equal(patched.body.webhook?.hasToken, false);
    assert.deepEqual(patched.body.routes, [
      { eventTypes: ['ups.on-battery', 'threshold.alert'], minSeverity: 'WARNING' },
    ]);
    assert.equal((await sendTest(ch.id)).state, 'SENT');
    const push = await receiver.next('/new-topic', 'message to the new topic');
    assert.equal(push.headers.authorization, undefined, 'the cleared token is not sent');
    assert.equal(receiver.to('/old-topic').length, 0);
    const audit = await api.db.prisma.auditEntry.findFirst({
      where: { action: 'notificationChannel.update', resourceId: ch.id },
    });
    assert.ok(audit);
    assert.ok(!JSON.stringify([audit.before, audit.after]).includes('new-topic'), 'the audit log holds no secret URL');

    assert.equal((await api.call('DELETE', `/notifications/channels/${ch.id}`)).status, 204);
    assert.equal((await api.call('GET', `/notifications/channels/${ch.id}`)).status, 404);
    assert.equal(await api.db.prisma.notificationDelivery.count({ where: { channelId: ch.id } }), 0);
  });

  test('no redirect is followed and no error names a secret; a refused request is not retried', async () => {
    const elsewhere = await HttpReceiver.start();
    try {
      receiver.answer('/moved/secret-path-token', { status: 302, headers: { location: `${elsewhere.base}/catch` } });
      const moved = await createChannel({
        name: 'moved',
        kind: 'DISCORD',
        webhookUrl: `${httpBase}/moved/secret-path-token`,
      });
      const d = await sendTest(moved.id);
      assert.equal(d.state, 'FAILED');
      assert.equal(d.attempts, 1, 'a redirect is final: no retries');
      assert.match(d.lastError ?? '', /^discord 127\.0\.0\.1:\d+ answered HTTP 302 \(a redirect, not followed/);
      assert.equal(elsewhere.requests.length, 0, 'nothing reached the redirect target');

      // A receiver that echoes the token back: the error keeps the status, not the token.
      receiver.answer('/echo/sekrit-webhook-token-123', {
        status: 404,
        body: 'Unknown webhook /echo/sekrit-webhook-token-123 (token sekrit-webhook-token-123)',
      });
      const echo = await createChannel({
        name: 'echo',
        kind: 'SLACK',
        webhookUrl: `${httpBase}/echo/sekrit-webhook-token-123`,
      });
      const e = await sendTest(echo.id);
      assert.equal(e.state, 'FAILED');
      assert.equal(e.attempts, 1, 'a 404 is final');
      assert.match(
        e.lastError ?? '',
        /slack 127\.0\.0\.1:\d+ answered HTTP 404: Unknown webhook \*\*\* \(token \*\*\*\)/,
      );
      const listed = await api.call('GET', `/notifications/channels/${echo.id}`);
      assert.ok(!listed.text.includes('sekrit'));
      const jobs = await api.call<{ items: unknown[] }>('GET', '/notifications/deliveries?state=FAILED');
      assert.ok(!jobs.text.includes('sekrit'));
    } finally {
      await elsewhere.close();
    }
  });

  test('SMTP over implicit TLS on its own port; switching security moves a default port along', async () => {
    const mail = await createChannel({
      name: 'tls-mail',
      kind: 'EMAIL',
      smtpHost: '127.0.0.1',
      smtpPort: tlsSmtpPort,
      smtpSecurity: 'tls',
      smtpFrom: 'nutfleet@example.com',
      smtpTo: ['tls@example.com'],
      smtpCaPem: cert,
    });
    assert.deepEqual([mail.email?.port, mail.email?.security], [tlsSmtpPort, 'tls']);
    assert.equal((await sendTest(mail.id)).state, 'SENT');
    const received = mails.find((m) => m.raw.includes('To: tls@example.com'));
    assert.equal(received?.secure, true, 'TLS from the first byte');

    const other = await createChannel({
      name: 'relay',
      kind: 'EMAIL',
      smtpHost: 'relay.example',
      smtpFrom: 'a@example.com',
      smtpTo: ['b@example.com'],
    });
    assert.deepEqual([other.email?.port, other.email?.security], [587, 'starttls']);
    const switched = await api.call<Channel>('PATCH', `/notifications/channels/${other.id}`, {
      body: { smtpSecurity: 'tls' },
    });
    assert.deepEqual([switched.body.email?.port, switched.body.email?.security], [465, 'tls']);
    const custom = await api.call<Channel>('PATCH', `/notifications/channels/${other.id}`, {
      body: { smtpSecurity: 'none', smtpPort: 2525 },
    });
    assert.deepEqual([custom.body.email?.port, custom.body.email?.security], [2525, 'none']);
    const kept = await api.call<Channel>('PATCH', `/notifications/channels/${other.id}`, {
      body: { smtpSecurity: 'starttls' },
    });
    assert.equal(kept.body.email?.port, 2525, 'a port chosen by hand stays');
  });

  test('outage opened and closed reach their route, naming the UPSes and the hosts they feed', async () => {
    const outages = await createChannel({
      name: 'outages',
      kind: 'WEBHOOK',
      webhookUrl: `${httpBase}/outages`,
      routes: [{ eventTypes: ['outage.opened', 'outage.closed'] }],
    });
    const server = await api.db.prisma.nutServer.create({
      data: { name: 'site-o', host: 'nut-o.example', port: 3493, upses: { create: [{ name: 'upso' }] } },
      include: { upses: true },
    });
    const upsId = server.upses[0]?.id ?? '';
    for (const name of ['esx-o1', 'esx-o2'])
      await api.db.prisma.host.create({
        data: { name, address: `10.9.0.${name.slice(-1)}`, feeds: { create: [{ upsId }] } },
      });
    const outage = await api.db.prisma.outage.create({ data: { openedAt: new Date(), upsIds: [upsId] } });
    const opened = JSON.parse((await receiver.next('/outages', 'outage opened')).body) as {
      eventType: string;
      title: string;
      text: string;
      refs: { outageId: string };
    };
    assert.equal(opened.eventType, 'outage.opened');
    assert.equal(opened.title, 'Outage: UPS upso@nut-o.example:3493 left line power');
    assert.match(opened.text, /It feeds 2 hosts: esx-o1, esx-o2\./);
    assert.equal(opened.refs.outageId, outage.id);
    await api.db.prisma.outage.update({
      where: { id: outage.id },
      data: { state: 'CLOSED', closedAt: new Date(outage.openedAt.getTime() + 65_000), closeReason: 'power back' },
    });
    const closed = JSON.parse(
      (await receiver.next('/outages', 'outage closed', (r) => r.body.includes('outage.closed'))).body,
    ) as { title: string };
    assert.equal(closed.title, 'Outage closed after 1 min 5 s (power back)');
    await waitFor('both sent', async () => (await deliveriesOf(outages.id)).every((d) => d.state === 'SENT'), 10_000);
    assert.equal(
      (await deliveriesOf(outages.id)).length,
      2,
      'one delivery each, however often the dispatcher re-reads',
    );
  });

  test('restart waves: started when the gate opens, finished with the hosts back and those that failed', async () => {
    const waves = await createChannel({
      name: 'waves',
      kind: 'WEBHOOK',
      webhookUrl: `${httpBase}/waves`,
      routes: [{ eventTypes: ['restart.wave-started', 'restart.wave-finished'] }],
    });
    const hosts = await api.db.prisma.host.findMany({ where: { name: { in: ['esx-o1', 'esx-o2'] } } });
    const id = (name: string): string => hosts.find((h) => h.name === name)?.id ?? '';
    // Steps written as the workers would; the plan row is not PENDING/RUNNING so that no reconciler
    // or worker picks these steps up for real.
    const plan = await api.db.prisma.plan.create({
      data: { kind: 'RESTART', mode: 'ARMED', state: 'SUCCEEDED', reason: 'power back' },
    });
    const step = (key: string, action: string, hostId: string | null, sequence: number) =>
      api.db.prisma.planStep.create({ data: { planId: plan.id, key, action, hostId, stage: 1, sequence } });
    const gate = await step('gate:1', RESTART_GATE_ACTION, null, 0);
    const wake1 = await step('esx-o1:wake', 'wake', id('esx-o1'), 1);
    const wake2 = await step('esx-o2:wake', 'wake', id('esx-o2'), 2);
    const done = (stepId: string, state: 'SUCCEEDED' | 'FAILED', error: string | null = null) =>
      api.db.prisma.planStep.update({ where: { id: stepId }, data: { state, finishedAt: new Date(), error } });
    await done(gate.id, 'SUCCEEDED');
    const started = JSON.parse(
      (await receiver.next('/waves', 'wave started', (r) => r.body.includes('restart.wave-started'))).body,
    ) as { title: string; refs: { planId: string } };
    assert.equal(started.title, 'Restart wave 1 started: waking 2 host(s)');
    assert.equal(started.refs.planId, plan.id);
    await done(wake1.id, 'SUCCEEDED');
    await new Promise((resolve) => setTimeout(resolve, 600));
    assert.ok(
      !receiver.to('/waves').some((r) => r.body.includes('restart.wave-finished')),
      'not while a host is pending',
    );
    await done(wake2.id, 'FAILED', 'no answer to Wake-on-LAN within 300 s');
    const finished = JSON.parse(
      (await receiver.next('/waves', 'wave finished', (r) => r.body.includes('restart.wave-finished'))).body,
    ) as { title: string; text: string; severity: string };
    assert.equal(finished.title, 'Restart wave 1 finished: 1 of 2 host(s) back');
    assert.equal(finished.severity, 'WARNING');
    assert.match(finished.text, /Back: esx-o1\. Failed: esx-o2 \(no answer to Wake-on-LAN within 300 s\)\./);
    await waitFor('sent', async () => (await deliveriesOf(waves.id)).every((d) => d.state === 'SENT'), 10_000);
    assert.equal((await deliveriesOf(waves.id)).length, 2);
  });
});

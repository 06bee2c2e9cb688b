import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { type INestApplicationContext } from '@nestjs/common';
import { SMTPServer } from 'smtp-server';

import { waitFor } from '@nutfleet/testing';

import { createWorkerApp } from '../../worker/src/worker.app';
import { type ApiTestApp, startApiTestApp } from './support/api-test-app';

interface Mail {
  user: string | undefined;
  secure: boolean;
  raw: string;
}
interface Hook {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
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
describe('notifications: SMTP with AUTH + STARTTLS, JSON and Slack webhooks, retries, send test', () => {
  let api: ApiTestApp;
  let worker: INestApplicationContext;
  let smtp: SMTPServer;
  let smtpPort: number;
  let http: Server;
  let httpBase: string;
  let cert: string;
  const mails: Mail[] = [];
  const hooks: Hook[] = [];
  /** Requests to these paths answer 500 this many more times. */
  const failures = new Map<string, number>();

  async function delivery(id: string): Promise<Delivery> {
    return (await api.call<Delivery>('GET', `/notifications/deliveries/${id}`)).body;
  }

  async function deliveriesOf(channelId: string): Promise<Delivery[]> {
    return (await api.call<{ items: Delivery[] }>('GET', `/notifications/deliveries?channelId=${channelId}`)).body
      .items;
  }

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
      onData(stream, session, callback) {
        let raw = '';
        stream.on('data', (chunk: Buffer) => (raw += chunk.toString('utf8')));
        stream.on('end', () => {
          mails.push({ user: session.user as string | undefined, secure: session.secure, raw });
          callback();
        });
      },
      logger: false,
    });
    await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
    smtpPort = (smtp.server.address() as AddressInfo).port;

    http = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString('utf8')));
      req.on('end', () => {
        hooks.push({ path: req.url ?? '', headers: req.headers, body });
        const left = failures.get(req.url ?? '') ?? 0;
        if (left > 0) {
          failures.set(req.url ?? '', left - 1);
          res.writeHead(500).end('receiver down');
        } else res.writeHead(200).end('ok');
      });
    });
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    httpBase = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;

    api = await startApiTestApp({ NOTIFY_DISPATCH_INTERVAL_MS: '200', NOTIFY_SEND_TIMEOUT_MS: '5000' });
    worker = await createWorkerApp(api.config);
    await worker.init();
  });

  after(async () => {
    await worker?.close();
    await api?.close();
    await new Promise<void>((resolve) => smtp?.close(() => resolve()));
    await new Promise<void>((resolve) => http?.close(() => resolve()));
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
    failures.set('/hook', 2);
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

    await waitFor('Slack message', async () => hooks.some((h) => h.path === SLACK_PATH), 20_000, 200);
    const slack = JSON.parse(hooks.find((h) => h.path === SLACK_PATH)?.body ?? '{}') as {
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
    const calls = hooks.filter((h) => h.path === '/hook');
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
    failures.set('/down', 1000);
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
});

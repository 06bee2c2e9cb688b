import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { type ApiTestApp, startApiTestApp } from './support/api-test-app';
import { fingerprint, SECRETS } from './support/fixtures';

interface Rejected {
  statusCode: number;
  message: string;
  errors: { row: number; host: string | null; field: string; reason: string }[];
}
interface Report {
  dryRun: boolean;
  rows: number;
  created: number;
  updated: number;
  groupsCreated: string[];
}

const HEADER =
  'name,address,sshPort,password,macAddresses,group,policy,tags,shutdownStage,restartWave,minSupplies,feeds,hostKeyFingerprint';

function csvRow(i: number): string {
  const mac = `00:50:56:00:${(i >> 8).toString(16).padStart(2, '0')}:${(i & 255).toString(16).padStart(2, '0')}`;
  const feeds = i % 2 === 0 ? 'ups1@nut-a:1;ups2@nut-a:1' : 'ups1@nut-a';
  return `esx-${String(i).padStart(4, '0')},10.9.${i >> 8}.${i & 255},22,${SECRETS.hostPassword},${mac},site-${i % 5},default,lab;r${i % 3},${i % 4},${i % 2},1,${feeds},${i % 7 === 0 ? fingerprint(i % 250) : ''}`;
}

describe('bulk host import and export', () => {
  let t: ApiTestApp;

  before(async () => {
    t = await startApiTestApp();
    const server = await t.call<{ id: string }>('POST', '/nut-servers', { body: { name: 'nut-a', host: '10.0.0.1' } });
    for (const name of ['ups1', 'ups2'])
      await t.call('POST', '/upses', { body: { name, nutServerId: server.body.id } });
    await t.call('POST', '/policies', { body: { name: 'default' } });
  });
  after(async () => t?.close());

  test('a CSV with errors on some rows: nothing written, every bad row reported with field and reason', async () => {
    const lines = [
      HEADER,
      csvRow(1),
      'esx-bad,10.0.0.999,22,,,,,,,,,,',
      csvRow(2),
      `esx-x,10.0.0.8,70000,,zz,,nopolicy,,,,,ups9@nut-a,`,
      csvRow(1),
    ];
    // The rows carry passwords and host keys: an admin's import (an operator's is refused, 403).
    const r = await t.call<Rejected>('POST', '/hosts/import', {
      raw: { contentType: 'text/csv', data: lines.join('\n') },
    });
    assert.equal(r.status, 422, r.text);
    assert.match(r.body.message, /nothing was imported/);
    const got = r.body.errors.map((e) => `${e.row}:${e.field}`);
    assert.deepEqual(got, ['3:address', '5:sshPort', '5:macAddresses', '5:policy', '5:feeds[0]', '6:name']);
    assert.deepEqual(
      [...new Set(r.body.errors.map((e) => `${e.row}:${e.host}`))],
      ['3:esx-bad', '5:esx-x', `6:${csvRow(1).split(',')[0]}`],
      'each reported row names its host',
    );
    assert.match(r.body.errors.find((e) => e.field === 'policy')?.reason ?? '', /no policy named "nopolicy"/);
    assert.equal(await t.db.prisma.host.count(), 0);
    assert.equal(await t.db.prisma.hostGroup.count(), 0, 'groups not created either');
  });

  test('bad CSV structure: unknown column, syntax error', async () => {
    const unknown = await t.call<{ fields: { field: string }[] }>('POST', '/hosts/import', {
      raw: { contentType: 'text/csv', data: 'name,address,colour\na,10.0.0.1,red\n' },
    });
    assert.equal(unknown.status, 400);
    assert.equal(unknown.body.fields[0]?.field, 'header.colour');
    const syntax = await t.call('POST', '/hosts/import', {
      raw: { contentType: 'text/csv', data: 'name,address\n"a,10.0.0.1\n' },
    });
    assert.equal(syntax.status, 400);
    assert.equal(
      (await t.call('POST', '/hosts/import', { raw: { contentType: 'application/xml', data: '<a/>' } })).status,
      415,
    );
    assert.equal((await t.call('POST', '/hosts/import', { body: { not: 'an array' } })).status, 400);
  });

  test('dry run of 300 hosts reports without writing; the real run imports all 300 in one go', async () => {
    const csv = [HEADER, ...Array.from({ length: 300 }, (_, i) => csvRow(i + 1))].join('\r\n');
    const dry = await t.call<Report>('POST', '/hosts/import?dryRun=true', {
      raw: { contentType: 'text/csv', data: csv },
    });
    assert.equal(dry.status, 200, dry.text);
    assert.deepEqual(dry.body, {
      dryRun: true,
      rows: 300,
      created: 300,
      updated: 0,
      groupsCreated: ['site-0', 'site-1', 'site-2', 'site-3', 'site-4'],
    });
    assert.equal(await t.db.prisma.host.count(), 0);

    const started = Date.now();
    const refused = await t.call('POST', '/hosts/import', {
      token: t.tokens.operator,
      raw: { contentType: 'text/csv', data: csv },
    });
    assert.equal(refused.status, 403, 'an operator may not store the passwords and keys it carries');
    const real = await t.call<Report>('POST', '/hosts/import', { raw: { contentType: 'text/csv', data: csv } });
    assert.equal(real.status, 200, real.text);
    assert.equal(real.body.created, 300);
    assert.ok(Date.now() - started < 20_000);
    assert.equal(await t.db.prisma.host.count(), 300);
    assert.equal(await t.db.prisma.powerFeed.count(), 450);
    const h = await t.db.prisma.host.findUniqueOrThrow({ where: { name: 'esx-0007' } });
    assert.equal(h.trustState, 'TRUSTED');
    assert.ok(h.passwordEnc?.startsWith('v1:'));
    const audits = await t.db.prisma.auditEntry.count({ where: { action: 'host.import.create' } });
    assert.equal(audits, 300);
  });

  test('export (CSV and JSON) has no secret and re-imports cleanly, changing nothing', async () => {
    const csv = await t.call<string>('GET', '/hosts/export?format=csv', { token: t.tokens.viewer });
    assert.equal(csv.status, 200);
    assert.match(csv.headers.get('content-type') ?? '', /text\/csv/);
    assert.ok(!csv.text.includes(SECRETS.hostPassword));
    assert.equal(csv.text.trim().split('\r\n').length, 301);
    const json = await t.call<Record<string, unknown>[]>('GET', '/hosts/export?format=json');
    assert.equal(json.body.length, 300);
    assert.ok(!json.text.includes(SECRETS.hostPassword) && !json.text.includes('password'));

    const before = await t.db.prisma.host.findMany({ orderBy: { name: 'asc' }, include: { feeds: true } });
    const again = await t.call<Report>('POST', '/hosts/import', { raw: { contentType: 'text/csv', data: csv.text } });
    assert.equal(again.status, 200, again.text);
    assert.deepEqual([again.body.created, again.body.updated], [0, 300]);
    const viaJson = await t.call<Report>('POST', '/hosts/import', { body: json.body });
    assert.equal(viaJson.status, 200, viaJson.text);
    const afterRows = await t.db.prisma.host.findMany({ orderBy: { name: 'asc' }, include: { feeds: true } });
    const strip = (rows: typeof before): unknown =>
      rows.map(({ updatedAt: _u, feeds, ...rest }) => ({
        ...rest,
        feeds: feeds.map((f) => [f.upsId, f.powerValue]).sort(),
      }));
    assert.deepEqual(strip(afterRows), strip(before), 'secrets kept, everything else identical');
    const reexport = await t.call<string>('GET', '/hosts/export?format=csv');
    assert.equal(reexport.text, csv.text);
  });

  test('JSON import with errors reports array positions', async () => {
    const r = await t.call<Rejected>('POST', '/hosts/import', {
      body: [{ name: 'ok-1', address: '10.0.0.1' }, { name: 'bad', address: 'x y', tags: 'notalist' }, 'junk'],
    });
    assert.equal(r.status, 422);
    assert.deepEqual(
      r.body.errors.map((e) => `${e.row}:${e.field}`),
      ['2:address', '2:tags', '3:(row)'],
    );
    assert.equal(await t.db.prisma.host.count({ where: { name: 'ok-1' } }), 0);
  });

  test('viewer cannot import', async () => {
    assert.equal((await t.call('POST', '/hosts/import', { token: t.tokens.viewer, body: [] })).status, 403);
  });
});

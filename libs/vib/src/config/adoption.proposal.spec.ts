import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { adoptedMailProblem, type AdoptionHost, parseUpsEntry, proposeAdoption } from './adoption.proposal';

const host = (n: number, nutUpsName: string | null, nutUser: string | null = 'monuser'): AdoptionHost => ({
  hostId: `h${n}`,
  hostName: `esx-${n}`,
  nutUpsName,
  nutUser,
});
const EMPTY = { servers: [], upses: [], feeds: [] };

describe('parseUpsEntry', () => {
  test('ups@host, ups@host:port and ups@[ipv6]:port, as upsmon reads them', () => {
    assert.deepEqual(parseUpsEntry('ups1@nut1.lan', 3493), { ups: 'ups1', host: 'nut1.lan', port: 3493 });
    assert.deepEqual(parseUpsEntry('ups2@10.0.0.5:3494', 3493), { ups: 'ups2', host: '10.0.0.5', port: 3494 });
    assert.deepEqual(parseUpsEntry('a@[fd00::1]:3495', 3493), { ups: 'a', host: 'fd00::1', port: 3495 });
  });

  test('anything else is not an entry', () => {
    for (const bad of ['ups1', '@nut1', 'ups1@', 'ups 1@nut', 'ups1@nut:0', 'ups1@nut:70000', 'u@-bad', 'u@nut;reboot'])
      assert.equal(parseUpsEntry(bad, 3493), null, bad);
  });
});

describe('proposeAdoption', () => {
  test('hosts configured by hand imply their servers, UPSes and feeds, each once', () => {
    const p = proposeAdoption(
      [host(1, 'ups1@nut1.lan ups2@nut2.lan:3494'), host(2, 'ups1@nut1.lan'), host(3, 'ups1@NUT1.lan')],
      EMPTY,
    );
    assert.deepEqual(
      p.servers.map((s) => [s.name, s.host, s.port, s.username, s.existingId, s.hostNames]),
      [
        ['nut1.lan', 'nut1.lan', 3493, 'monuser', null, ['esx-1', 'esx-2', 'esx-3']],
        ['nut2.lan-3494', 'nut2.lan', 3494, 'monuser', null, ['esx-1']],
      ],
    );
    assert.deepEqual(
      p.upses.map((u) => [u.serverKey, u.name, u.hostNames]),
      [
        ['nut1.lan:3493', 'ups1', ['esx-1', 'esx-2', 'esx-3']],
        ['nut2.lan:3494', 'ups2', ['esx-1']],
      ],
    );
    assert.deepEqual(
      p.feeds.map((f) => `${f.hostName}→${f.upsName}@${f.serverKey}`),
      ['esx-1→ups1@nut1.lan:3493', 'esx-1→ups2@nut2.lan:3494', 'esx-2→ups1@nut1.lan:3493', 'esx-3→ups1@nut1.lan:3493'],
    );
    assert.deepEqual(p.hostNames, ['esx-1', 'esx-2', 'esx-3']);
    assert.deepEqual(p.problems, []);
  });

  test('what the inventory already has is reused, not proposed again', () => {
    const inventory = {
      servers: [{ id: 's1', name: 'site-a', host: 'nut1.lan', port: 3493 }],
      upses: [{ id: 'u1', nutServerId: 's1', name: 'ups1' }],
      feeds: [{ hostId: 'h1', upsId: 'u1' }],
    };
    const p = proposeAdoption([host(1, 'ups1@nut1.lan'), host(2, 'ups1@nut1.lan ups9@nut1.lan')], inventory);
    assert.deepEqual(
      p.servers.map((s) => [s.name, s.existingId]),
      [['site-a', 's1']],
    );
    assert.deepEqual(
      p.upses.map((u) => [u.name, u.existingId]),
      [
        ['ups1', 'u1'],
        ['ups9', null],
      ],
    );
    assert.deepEqual(
      p.feeds.map((f) => `${f.hostName}→${f.upsName}`),
      ['esx-2→ups1', 'esx-2→ups9'],
    );
  });

  test('a new server name never takes an existing one', () => {
    const inventory = { servers: [{ id: 's1', name: 'nut1.lan', host: '10.9.9.9', port: 3493 }], upses: [], feeds: [] };
    assert.equal(proposeAdoption([host(1, 'u@nut1.lan')], inventory).servers[0]?.name, 'nut1.lan-2');
    assert.equal(proposeAdoption([host(1, 'u@[fd00::1]')], EMPTY).servers[0]?.name, 'fd00-1');
  });

  test('unconfigured hosts, entries that are not ups@server and disagreeing users are reported', () => {
    const p = proposeAdoption(
      [host(1, 'upsname@nutserver'), host(2, null), host(3, 'ups1@nut1 garbage'), host(4, 'ups1@nut1', 'other')],
      EMPTY,
    );
    assert.deepEqual(p.hostNames, ['esx-3', 'esx-4']);
    assert.deepEqual(
      p.problems.map((x) => `${x.hostName}: ${x.message}`),
      [
        'esx-1: NutUpsName is not set (the VIB is not configured): nothing to adopt',
        'esx-2: NutUpsName is not set (the VIB is not configured): nothing to adopt',
        'esx-3: "garbage" in NutUpsName is not ups@server[:port]: left out',
        'esx-3, esx-4: hosts use different NutUser values for nut1:3493 (monuser: esx-3; other: esx-4); the inventory keeps one',
      ],
    );
    assert.equal(p.servers[0]?.username, 'monuser');
  });

  test("hand-set NutMinSupplies becomes the host's minSupplies when upsmon can run with it; timings are carried", () => {
    const p = proposeAdoption(
      [
        { ...host(1, 'ups1@nut1.lan ups2@nut1.lan'), nutMinSupplies: 2, nutFinalDelay: 900, nutOnBatteryDelay: 0 },
        { ...host(2, 'ups1@nut1.lan'), nutMinSupplies: 2, nutFinalDelay: 5, minSupplies: 1 },
        { ...host(3, 'ups1@nut1.lan'), nutMinSupplies: 1 },
      ],
      EMPTY,
    );
    assert.deepEqual(
      p.hostSettings.map((h) => [h.hostName, h.minSupplies, h.finalDelaySeconds, h.onBatteryDelaySeconds]),
      [
        ['esx-1', 2, 900, 0],
        ['esx-2', null, 5, null],
        ['esx-3', null, null, null],
      ],
    );
    assert.deepEqual(
      p.problems.map((x) => x.hostName),
      ['esx-2'],
    );
    assert.match(p.problems[0]?.message ?? '', /NutMinSupplies 2 .* names 1 UPS.*NutMinSupplies drifts/);
  });
});

describe('adoptedMailProblem', () => {
  const off = { sendMail: 0, mailTo: 'root@domain', smtpRelay: 'none' };
  test('a host that does not mail matches settings that are off', () => {
    assert.equal(adoptedMailProblem(off, undefined, 'no fleet default'), null);
  });
  test('a host mailing while nutfleet keeps mail off is named, with where to change it', () => {
    const m = adoptedMailProblem({ ...off, sendMail: 1, mailTo: 'ops@x' }, undefined, 'no fleet default');
    assert.match(m ?? '', /NutSendMail 1 \(mail to ops@x\).*no fleet default.*Settings, VIB mail.*drifts to 0/);
  });
  test('the same mail settings match; a different address or relay is named', () => {
    const wanted = { to: 'ops@x', smtpRelay: 'relay.lan' };
    assert.equal(adoptedMailProblem({ sendMail: 1, mailTo: 'ops@x', smtpRelay: 'relay.lan' }, wanted, undefined), null);
    assert.match(
      adoptedMailProblem({ sendMail: 2, mailTo: 'me@x', smtpRelay: 'none' }, wanted, undefined) ?? '',
      /NutSendMail 2 → 1, NutMailTo me@x → ops@x, NutSmtpRelay none → relay\.lan/,
    );
  });
});

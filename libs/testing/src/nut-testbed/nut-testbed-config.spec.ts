import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { renderDevFile, renderUpsConf, renderUpsdConf, renderUpsdUsers } from './nut-testbed-config';

describe('NUT test bed config rendering', () => {
  it('writes a dummy-once UPS section with a quoted desc', () => {
    const conf = renderUpsConf([{ name: 'ups1', description: 'A "b" #c', devFile: '/tmp/x/ups1.dev' }], 1);
    assert.match(conf, /^\[ups1\]$/m);
    assert.match(conf, /driver = dummy-ups/);
    assert.match(conf, /mode = dummy-once/);
    assert.match(conf, /desc = "A \\"b\\" \\#c"/);
    assert.match(conf, /pollinterval = 1/);
  });

  it('listens on loopback only, with optional NSS settings', () => {
    assert.equal(renderUpsdConf(13493, 15, null), 'LISTEN 127.0.0.1 13493\nMAXAGE 15\n');
    assert.match(
      renderUpsdConf(1, 15, { nssDbDir: '/d', nickname: 'n', dbPassword: 'p' }),
      /CERTPATH \/d\nCERTIDENT "n" "p"/,
    );
  });

  it('gives the admin SET, FSD and all instcmds, the monitor only upsmon secondary', () => {
    const users = renderUpsdUsers({ username: 'admin', password: 'a' }, { username: 'mon', password: 'm' });
    assert.match(users, /\[admin\][^[]*actions = SET[^[]*actions = FSD[^[]*instcmds = ALL[^[]*upsmon primary/);
    assert.match(users, /\[mon\]\s+password = m\s+upsmon secondary/);
  });

  it('writes .dev lines, empty values as "" (dummy-ups deletes them), and refuses unsafe values', () => {
    assert.equal(renderDevFile({ 'ups.status': 'OB LB', 'ups.alarm': '' }), 'ups.status: OB LB\nups.alarm: ""\n');
    for (const bad of ['a"b', 'a\\b', 'a#b', 'a\nb', ' pad'])
      assert.throws(() => renderDevFile({ x: bad }), /round-trip/);
    assert.throws(() => renderDevFile({ 'bad name': '1' }), /variable name/);
  });
});

describe('power-cycle UPS and operator account rendering', () => {
  it('serves a powerCycle UPS with clone on the hardware socket, load.status set (clone 2.8.0 needs it)', () => {
    const conf = renderUpsConf(
      [
        {
          name: 'cyc',
          description: 'c',
          devFile: '/x',
          clone: { offDelaySec: 3, onDelaySec: 4, hardwareSocket: 'hw-cyc' },
        },
      ],
      1,
    );
    assert.match(conf, /driver = clone/);
    assert.match(conf, /port = "hw-cyc"/);
    assert.match(conf, /offdelay = 3\n {4}ondelay = 4/);
    assert.match(conf, /load\.status = outlet\.status/);
    assert.doesNotMatch(conf, /dummy-ups/);
  });

  it('gives the operator SET and every INSTCMD but no upsmon role', () => {
    const users = renderUpsdUsers(
      { username: 'a', password: 'p' },
      { username: 'm', password: 'p' },
      { username: 'op', password: 'pw' },
    );
    const operator = users.slice(users.indexOf('[op]'));
    assert.match(operator, /actions = SET\n {4}instcmds = ALL/);
    assert.doesNotMatch(operator, /upsmon|FSD/);
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { resolveShutdownPolicy } from '@nutfleet/power';
import { buildDesiredUserVars, type DesiredUserVarsInput, type HostPowerFeed } from './desired-uservars.builder';
import { computeFallbackTiming } from './fallback-timing';
import { nutUserVarDefinitions } from './nut-user-var.definitions';
import { diffUserVars, redactDiff, userVarsFromAdvancedOptions } from './uservars.diff';
import { checkStringValue } from './user-var-value.rules';
import { validateUserVars } from './user-vars.validator';

const creds = { username: 'monuser', password: 's3cret' };
const feed = (
  ups: string,
  host: string,
  port = 3493,
  c: HostPowerFeed['nutServer']['credentials'] | null = creds,
  name = host,
): HostPowerFeed => ({
  upsName: ups,
  nutServer: { name, host, port, credentials: c ?? undefined },
});
const policy = resolveShutdownPolicy({ id: 'p' });
const base: DesiredUserVarsInput = {
  vibVersion: '2.8.5-2.7.3',
  hostName: 'esx1',
  minSupplies: 1,
  feeds: [feed('ups1', 'nut1.lan'), feed('ups2', 'nut2.lan', 3494)],
  policy,
  plannedShutdownDeadlineSeconds: 400,
};

describe('computeFallbackTiming', () => {
  it('LB path: FinalDelay = L + D + M; no time trigger → OnBatteryDelay 0 (wait for LB)', () => {
    assert.deepEqual(computeFallbackTiming({ policy, plannedShutdownDeadlineSeconds: 400 }), {
      finalDelaySeconds: 460,
      onBatteryDelaySeconds: 0,
      warnings: [],
    });
    const confirm = resolveShutdownPolicy({ id: 'p', triggers: { lowBatteryConfirmSeconds: 20 } });
    assert.equal(
      computeFallbackTiming({ policy: confirm, plannedShutdownDeadlineSeconds: 400, marginSeconds: 30 })
        .finalDelaySeconds,
      450,
    );
  });

  it('time trigger: OnBatteryDelay + FinalDelay = T + D + M (host acts only after nutfleet finished)', () => {
    const p = resolveShutdownPolicy({ id: 'p', triggers: { onBatterySeconds: 300 } });
    const t = computeFallbackTiming({ policy: p, plannedShutdownDeadlineSeconds: 400 });
    assert.equal(t.finalDelaySeconds, 460);
    assert.equal(t.onBatteryDelaySeconds, 300);
    assert.equal(t.onBatteryDelaySeconds + t.finalDelaySeconds, 300 + 400 + 60);
  });

  it('a clamped FinalDelay is made up for by OnBatteryDelay, with a warning for the LB path', () => {
    const p = resolveShutdownPolicy({ id: 'p', triggers: { onBatterySeconds: 120 } });
    const t = computeFallbackTiming({ policy: p, plannedShutdownDeadlineSeconds: 5000 });
    assert.equal(t.finalDelaySeconds, 3600);
    assert.equal(t.onBatteryDelaySeconds + t.finalDelaySeconds, 120 + 5000 + 60);
    assert.match(t.warnings[0] ?? '', /at most 3600/);
  });

  it('an `all` combination with other thresholds has no standalone time trigger', () => {
    const p = resolveShutdownPolicy({
      id: 'p',
      triggers: { onBatterySeconds: 300, chargeBelowPercent: 30, combination: 'all' },
    });
    assert.equal(computeFallbackTiming({ policy: p, plannedShutdownDeadlineSeconds: 10 }).onBatteryDelaySeconds, 0);
    const alone = resolveShutdownPolicy({ id: 'p', triggers: { onBatterySeconds: 300, combination: 'all' } });
    assert.equal(
      computeFallbackTiming({ policy: alone, plannedShutdownDeadlineSeconds: 10 }).onBatteryDelaySeconds,
      300,
    );
  });

  it('never sets OnBatteryDelay to 0 (= LB only) when a time trigger exists, caps at 86400', () => {
    const p = resolveShutdownPolicy({ id: 'p', triggers: { onBatterySeconds: 0, lowBatteryConfirmSeconds: 50 } });
    assert.equal(computeFallbackTiming({ policy: p, plannedShutdownDeadlineSeconds: 10 }).onBatteryDelaySeconds, 1);
    const long = resolveShutdownPolicy({ id: 'p', triggers: { onBatterySeconds: 100_000 } });
    const t = computeFallbackTiming({ policy: long, plannedShutdownDeadlineSeconds: 10 });
    assert.equal(t.onBatteryDelaySeconds, 86400);
    assert.match(t.warnings.join(), /capped/);
  });

  it('adopted: a hand-set FinalDelay at or above L + D + M is kept; below it is refused, saying why', () => {
    const kept = computeFallbackTiming({
      policy,
      plannedShutdownDeadlineSeconds: 400,
      adopted: { finalDelaySeconds: 900, onBatteryDelaySeconds: 0 },
    });
    assert.equal(kept.finalDelaySeconds, 900);
    assert.equal(kept.adopted?.finalDelay?.kept, true);
    assert.equal(kept.onBatteryDelaySeconds, 0);
    const exact = computeFallbackTiming({
      policy,
      plannedShutdownDeadlineSeconds: 400,
      adopted: { finalDelaySeconds: 460, onBatteryDelaySeconds: null },
    });
    assert.equal(exact.finalDelaySeconds, 460);
    assert.equal(exact.adopted?.onBatteryDelay, null);
    const refused = computeFallbackTiming({
      policy,
      plannedShutdownDeadlineSeconds: 400,
      adopted: { finalDelaySeconds: 5, onBatteryDelaySeconds: 0 },
    });
    assert.equal(refused.finalDelaySeconds, 460);
    assert.equal(refused.adopted?.finalDelay?.kept, false);
    assert.match(
      refused.adopted?.finalDelay?.why ?? '',
      /5 s set by hand .* below the 460 s .* before nutfleet's plan finished/,
    );
  });

  it('adopted: OnBatteryDelay kept when 0 or when it and FinalDelay add up to T + D + M; refused otherwise', () => {
    const p = resolveShutdownPolicy({ id: 'p', triggers: { onBatterySeconds: 300 } });
    const t = (finalDelaySeconds: number, onBatteryDelaySeconds: number) =>
      computeFallbackTiming({
        policy: p,
        plannedShutdownDeadlineSeconds: 400,
        adopted: { finalDelaySeconds, onBatteryDelaySeconds },
      });
    // T + D + M = 760.
    assert.deepEqual([t(600, 160).finalDelaySeconds, t(600, 160).onBatteryDelaySeconds], [600, 160]);
    assert.equal(t(600, 0).onBatteryDelaySeconds, 0);
    const early = t(600, 100);
    assert.equal(early.adopted?.onBatteryDelay?.kept, false);
    assert.equal(early.onBatteryDelaySeconds, 160, 'replaced by T + D + M − the kept FinalDelay');
    assert.match(
      early.adopted?.onBatteryDelay?.why ?? '',
      /100 \+ NutFinalDelay 600 = 700 s on battery is before T \+ D \+ M = 760 s/,
    );
    // No time trigger of nutfleet's own: any hand-set time shutdown would come first.
    const noTrigger = computeFallbackTiming({
      policy,
      plannedShutdownDeadlineSeconds: 400,
      adopted: { finalDelaySeconds: 600, onBatteryDelaySeconds: 3000 },
    });
    assert.equal(noTrigger.onBatteryDelaySeconds, 0);
    assert.match(noTrigger.adopted?.onBatteryDelay?.why ?? '', /no time-on-battery trigger/);
  });

  it('adopted: the reasons say which value is kept and which is not', () => {
    const keptInput = { ...base, adopted: { finalDelaySeconds: 900, onBatteryDelaySeconds: 0 } };
    const kept = buildDesiredUserVars(keptInput);
    assert.ok(kept.ok);
    assert.equal(kept.userVars.NutFinalDelay, 900);
    assert.match(
      kept.reasons.NutFinalDelay ?? '',
      /^900 s was set by hand before adoption and is kept.*nutfleet's minimum: L \+ D \+ M = 0 \+ 400 \+ 60 = 460 s/,
    );
    const refused = buildDesiredUserVars({ ...base, adopted: { finalDelaySeconds: 30, onBatteryDelaySeconds: 0 } });
    assert.ok(refused.ok);
    assert.equal(refused.userVars.NutFinalDelay, 460);
    assert.match(
      refused.reasons.NutFinalDelay ?? '',
      /^L \+ D \+ M = .*Adopted value: the 30 s set by hand before adoption is not kept/,
    );
  });

  it('refuses negative or non-finite durations', () => {
    assert.throws(() => computeFallbackTiming({ policy, plannedShutdownDeadlineSeconds: -1 }), /≥ 0/);
    assert.throws(() => computeFallbackTiming({ policy, plannedShutdownDeadlineSeconds: Number.NaN }), /≥ 0/);
  });
});

describe('buildDesiredUserVars', () => {
  it('derives every option from the inventory', () => {
    const r = buildDesiredUserVars({
      ...base,
      mail: { to: 'ops@example.com', smtpRelay: 'smtp.example.com', verbose: true },
    });
    assert.ok(r.ok, JSON.stringify(r));
    assert.deepEqual(r.userVars, {
      NutUpsName: 'ups1@nut1.lan ups2@nut2.lan:3494',
      NutUser: 'monuser',
      NutPassword: 's3cret',
      NutMinSupplies: 1,
      NutFinalDelay: 460,
      NutOnBatteryDelay: 0,
      NutSendMail: 2,
      NutMailTo: 'ops@example.com',
      NutSmtpRelay: 'smtp.example.com',
    });
  });

  it('gives each value its reason: the formula with its numbers, where each input comes from', () => {
    const p = resolveShutdownPolicy({ id: 'p', name: 'edge', triggers: { onBatterySeconds: 300 } });
    const r = buildDesiredUserVars({
      ...base,
      policy: p,
      plannedShutdownDeadlineWhy: '400 s: stage 1 in an outage of ups1@nut1 starts after stage 0 (220 s, set by esx-9)',
      mail: { to: 'ops@example.com', source: 'group "edge"' },
    });
    assert.ok(r.ok, JSON.stringify(r));
    assert.deepEqual(Object.keys(r.reasons).sort(), Object.keys(r.userVars).sort());
    assert.equal(
      r.reasons.NutFinalDelay,
      'L + D + M = 0 + 400 + 60 = 460 s: after low battery the host’s own client waits until nutfleet’s plan would have ' +
        'powered it off. L: policy "edge" confirms low battery for 0 s; D: its power-off deadline in nutfleet\'s plan, ' +
        '400 s: stage 1 in an outage of ups1@nut1 starts after stage 0 (220 s, set by esx-9); M: 60 s for polling, ' +
        'decision, job pickup and SSH',
    );
    assert.match(r.reasons.NutOnBatteryDelay ?? '', /^T \+ D \+ M − NutFinalDelay = 300 \+ 400 \+ 60 − 460 = 300 s/);
    assert.equal(r.reasons.NutMailTo, 'from group "edge"');
    assert.match(r.reasons.NutSmtpRelay ?? '', /^none \(direct delivery/);
    assert.doesNotMatch(JSON.stringify(r.reasons), /s3cret/);
  });

  it('without mail settings turns mail off and leaves address and relay alone', () => {
    const r = buildDesiredUserVars(base);
    assert.ok(r.ok);
    assert.equal(r.userVars.NutSendMail, 0);
    assert.equal(r.userVars.NutMailTo, undefined);
    assert.equal(r.userVars.NutSmtpRelay, undefined);
  });

  it('deduplicates UPS entries, brackets IPv6 servers', () => {
    const r = buildDesiredUserVars({ ...base, feeds: [feed('a', 'nut1'), feed('a', 'nut1'), feed('b', 'fd00::1')] });
    assert.ok(r.ok, JSON.stringify(r));
    assert.equal(r.userVars.NutUpsName, 'a@nut1 b@[fd00::1]');
  });

  it('reports a credential conflict instead of guessing, naming servers but never passwords', () => {
    const r = buildDesiredUserVars({
      ...base,
      feeds: [
        feed('a', 'nut1', 3493, creds, 'rack-a'),
        feed('b', 'nut2', 3493, { username: 'monuser', password: 'other' }, 'rack-b'),
      ],
    });
    assert.ok(!r.ok);
    const p = r.problems.find((x) => x.code === 'credential-conflict');
    assert.ok(p);
    assert.match(p.message, /rack-a vs rack-b/);
    assert.doesNotMatch(p.message, /s3cret|other/);
  });

  it('reports missing credentials, missing feeds, power values, and minSupplies above the feeds', () => {
    const codes = (input: Partial<DesiredUserVarsInput>): string[] => {
      const r = buildDesiredUserVars({ ...base, ...input });
      return r.ok ? [] : r.problems.map((p) => `${p.code}:${p.field}`);
    };
    assert.deepEqual(codes({ feeds: [feed('a', 'nut1', 3493, null, 'n1')] }), [
      'missing-credentials:nutServers[n1].credentials',
    ]);
    assert.deepEqual(codes({ feeds: [] }), ['no-feeds:feeds']);
    assert.deepEqual(codes({ feeds: [{ ...feed('a', 'nut1'), powerValue: 2 }] }), [
      'not-expressible:feeds[0].powerValue',
    ]);
    assert.deepEqual(codes({ minSupplies: 3 }), ['out-of-range:minSupplies']);
    assert.deepEqual(codes({ minSupplies: 0 }), ['out-of-range:NutMinSupplies']);
  });

  it('follows the VIB version: no OnBatteryDelay before 2.4.0, no MinSupplies before 2.2.0, no relay or verbose mail before 2.6.0', () => {
    const p = resolveShutdownPolicy({ id: 'p', triggers: { onBatterySeconds: 60 } });
    const r = buildDesiredUserVars({ ...base, vibVersion: '2.7.1-2.3.2', policy: p });
    assert.ok(r.ok);
    assert.equal(r.userVars.NutOnBatteryDelay, undefined);
    assert.equal(r.userVars.NutMinSupplies, 1);
    assert.match(r.warnings.join(), /no NutOnBatteryDelay/);
    const old = buildDesiredUserVars({ ...base, vibVersion: '2.7.1-2.1.0', minSupplies: 2 });
    assert.ok(!old.ok);
    assert.deepEqual(
      old.problems.map((x) => x.code),
      ['not-in-vib-version'],
    );
    const mail = buildDesiredUserVars({
      ...base,
      vibVersion: '2.8.0-2.5.0',
      mail: { to: 'a@b.c', smtpRelay: 'r', verbose: true },
    });
    assert.ok(!mail.ok);
    assert.deepEqual(mail.problems.map((x) => `${x.code}:${x.field}`).sort(), [
      'not-in-vib-version:mail.smtpRelay',
      'out-of-range:NutSendMail',
    ]);
  });

  it('refuses hostile values with an error naming the field', () => {
    const hostile = ['pa ss', 'a"b', "a'b", 'a$(reboot)', 'a`id`', 'a;b', 'a\nb', 'a/b', 'a&b', 'a\\b', 'a#b', 'é'];
    for (const password of hostile) {
      const r = buildDesiredUserVars({ ...base, feeds: [feed('ups1', 'nut1', 3493, { username: 'mon', password })] });
      assert.ok(!r.ok, password);
      assert.deepEqual(
        r.problems.map((p) => p.field),
        ['NutPassword'],
        password,
      );
      assert.doesNotMatch(
        r.problems[0]?.message ?? '',
        new RegExp(password.replace(/[^a-z]/g, '') === password ? password : 'NEVER'),
      );
    }
    const badUps = buildDesiredUserVars({ ...base, feeds: [feed('ups;reboot', 'nut1')] });
    assert.ok(!badUps.ok);
    assert.equal(badUps.problems[0]?.field, 'NutUpsName');
    const badMail = buildDesiredUserVars({ ...base, mail: { to: 'a@b.c $(x)' } });
    assert.ok(!badMail.ok);
    assert.match(badMail.problems[0]?.message ?? '', /NutMailTo.*space/);
  });
});

describe('validateUserVars', () => {
  it('checks names, types and per-version ranges', () => {
    assert.deepEqual(
      validateUserVars('2.8.5-2.7.3', { NutFinalDelay: 3600, NutSendMail: 2, NutOnBatteryDelay: 86400 }),
      [],
    );
    const codes = (v: Record<string, unknown>, version = '2.8.5-2.7.3'): string[] =>
      validateUserVars(version, v).map((p) => p.code);
    assert.deepEqual(codes({ NutFinalDelay: 3601 }), ['out-of-range']);
    assert.deepEqual(codes({ NutFinalDelay: -1 }), ['out-of-range']);
    assert.deepEqual(codes({ NutFinalDelay: 1.5 }), ['wrong-type']);
    assert.deepEqual(codes({ NutFinalDelay: '5' }), ['wrong-type']);
    assert.deepEqual(codes({ NutUser: 5 }), ['wrong-type']);
    assert.deepEqual(codes({ NutFoo: 'x' }), ['unknown-option']);
    assert.deepEqual(codes({ NutSendMail: 2 }, '2.8.0-2.5.0'), ['out-of-range']);
    assert.deepEqual(codes({ NutSmtpRelay: 'none' }, '2.8.0-2.5.0'), ['not-in-vib-version']);
    assert.deepEqual(codes({ NutUser: '' }), ['unsafe-value']);
  });

  it('definitions match the options NutClient 2.7.3 creates (docs/ESXI.md, UserVars per release)', () => {
    assert.deepEqual(
      nutUserVarDefinitions('2.8.5-2.7.3').map((d) =>
        d.type === 'int' ? `${d.name}:${d.defaultValue}:${d.min}-${d.max}` : `${d.name}:${d.defaultValue}`,
      ),
      [
        'NutUpsName:upsname@nutserver',
        'NutUser:upsuser',
        'NutPassword:upspassword',
        'NutMailTo:root@domain',
        'NutSmtpRelay:none',
        'NutFinalDelay:5:0-3600',
        'NutSendMail:0:0-2',
        'NutMinSupplies:1:1-10',
        'NutOnBatteryDelay:0:0-86400',
      ],
    );
    assert.equal(nutUserVarDefinitions('2.8.2-2.6.0').find((d) => d.name === 'NutSmtpRelay')?.defaultValue, '');
  });

  it('never echoes a password in its message', () => {
    assert.doesNotMatch(checkStringValue('NutPassword', 'top secret') ?? '', /top secret/);
    assert.match(checkStringValue('NutPassword', 'top secret') ?? '', /space/);
    assert.match(checkStringValue('NutUser', 'a\nb') ?? '', /newline/);
  });
});

describe('diffUserVars', () => {
  it('lists only what differs, with types, and leaves unmanaged options alone', () => {
    const d = diffUserVars(
      { NutUpsName: 'old@x', NutFinalDelay: 5, NutUser: 'mon', NutMailTo: 'keep@me' },
      { NutUpsName: 'ups1@nut1', NutFinalDelay: 5, NutUser: 'mon', NutPassword: 'p' },
    );
    assert.deepEqual(d.changes, [
      { name: 'NutUpsName', type: 'string', from: 'old@x', to: 'ups1@nut1' },
      { name: 'NutPassword', type: 'string', from: undefined, to: 'p' },
    ]);
    assert.deepEqual(d.unchanged, ['NutUser', 'NutFinalDelay']);
    assert.deepEqual(redactDiff(d).changes[1], { name: 'NutPassword', type: 'string', from: undefined, to: '***' });
  });

  it('reports options the host lacks', () => {
    const d = diffUserVars({}, { NutOnBatteryDelay: 10 }, new Set(['NutUpsName']));
    assert.deepEqual(d.missingOnHost, ['NutOnBatteryDelay']);
    assert.deepEqual(d.changes, []);
  });

  it('reads esxcli advanced list records', () => {
    const { values, present } = userVarsFromAdvancedOptions([
      { path: '/UserVars/NutFinalDelay', intValue: 5 },
      { path: '/UserVars/NutUser', stringValue: '' },
      { path: '/UserVars/SuppressShellWarning', intValue: 1 },
    ]);
    assert.deepEqual(values, { NutFinalDelay: 5, NutUser: '' });
    assert.deepEqual([...present], ['NutFinalDelay', 'NutUser']);
  });
});

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import {
  HOST_POWER_STATES,
  hostPowerStateOfColumn,
  HOST_POWER_STATE_COLUMN,
  type HostPowerObservation,
  type HostPowerRecord,
  type HostPowerStateName,
  isLeftOff,
  LEFT_OFF_MARK,
  nextHostPowerState,
  observationOfStep,
} from './host-power-state';

const T0 = new Date('2026-12-04T06:00:00.000Z');
const at = (seconds: number): Date => new Date(T0.getTime() + seconds * 1000);

function record(state: HostPowerStateName, overrides: Partial<HostPowerRecord> = {}): HostPowerRecord {
  return {
    state,
    since: T0,
    source: 'discovery: SSH and ESXi answered',
    planId: null,
    wakeAfterOutage: false,
    ...overrides,
  };
}

const NEVER_SEEN: HostPowerRecord = {
  state: 'unknown',
  since: null,
  source: null,
  planId: null,
  wakeAfterOutage: false,
};

describe('nextHostPowerState: every observation from every state and record', () => {
  const observations: HostPowerObservation[] = [
    { kind: 'powered-off', at: at(10), planId: 'p1', automatic: true },
    { kind: 'power-off-failed', at: at(10), planId: 'p1', error: 'still answers' },
    { kind: 'woken', at: at(10), planId: 'r1' },
    { kind: 'wake-failed', at: at(10), planId: 'r1', error: 'no SSH after 600 s' },
    { kind: 'discovered', at: at(10) },
    { kind: 'ssh-unreachable', at: at(10), error: 'ECONNREFUSED' },
    { kind: 'ssh-answered', at: at(10) },
    { kind: 'returned', at: at(10) },
    { kind: 'left-off', at: at(10), by: 'alice' },
    { kind: 'wake-allowed', at: at(10), by: 'bob' },
  ];
  /** The state each observation leads to, from on / off / unreachable / unknown (undefined: no change). */
  const EXPECTED: Record<HostPowerObservation['kind'], Record<HostPowerStateName, HostPowerStateName | undefined>> = {
    'powered-off': { on: 'off', off: 'off', unreachable: 'off', unknown: 'off' },
    'power-off-failed': { on: 'unknown', off: 'unknown', unreachable: 'unknown', unknown: 'unknown' },
    woken: { on: 'on', off: 'on', unreachable: 'on', unknown: 'on' },
    'wake-failed': { on: 'off', off: 'off', unreachable: 'off', unknown: 'off' },
    discovered: { on: 'on', off: 'on', unreachable: 'on', unknown: 'on' },
    // A host known off is expected not to answer: that is no news.
    'ssh-unreachable': { on: 'unreachable', off: undefined, unreachable: undefined, unknown: 'unreachable' },
    // The warm-up's answer: news for a host never seen or unreachable; one known off is the return probe's.
    'ssh-answered': { on: undefined, off: undefined, unreachable: 'on', unknown: 'on' },
    returned: { on: undefined, off: 'on', unreachable: 'on', unknown: 'on' },
    // An operator's decision never changes what the host is.
    'left-off': { on: 'on', off: 'off', unreachable: 'unreachable', unknown: 'unknown' },
    // Undoing the decision never changes what the host is (undoing none changes nothing at all).
    'wake-allowed': { on: undefined, off: undefined, unreachable: undefined, unknown: undefined },
  };
  /**
   * What an observation does to the rest of the record: whether an operator's "leave off" still
   * holds and whether the host is owed a wake. Only the host being up again after it was down ends
   * the decision; an SSH failure or an unverified power-off never does (the next restart would
   * wake a host an operator said to leave off).
   */
  type Rest = { leftOff: boolean; owed: boolean } | 'unchanged';
  const REST: Record<
    HostPowerObservation['kind'],
    (from: HostPowerStateName, leftOff: boolean, owed: boolean) => Rest
  > = {
    // (an automatic shutdown: it owes the host a wake unless an operator left it off)
    'powered-off': (_, leftOff) => ({ leftOff, owed: !leftOff }),
    'power-off-failed': (_, leftOff, owed) => ({ leftOff, owed }),
    woken: () => ({ leftOff: false, owed: false }),
    'wake-failed': (_, leftOff, owed) => ({ leftOff, owed }),
    discovered: (from, leftOff) => ({ leftOff: leftOff && from !== 'off', owed: false }),
    'ssh-unreachable': (from, leftOff, owed) =>
      from === 'off' || from === 'unreachable' ? 'unchanged' : { leftOff, owed },
    'ssh-answered': (from, leftOff, owed) => (from === 'on' || from === 'off' ? 'unchanged' : { leftOff, owed }),
    returned: (from) => (from === 'on' ? 'unchanged' : { leftOff: false, owed: false }),
    'left-off': () => ({ leftOff: true, owed: false }),
    'wake-allowed': (from, leftOff) => (leftOff ? { leftOff: false, owed: from === 'off' } : 'unchanged'),
  };
  const DECISION = 'operator:alice: left off, not woken by nutfleet';
  /** The records a host can be in: plain, owed a wake (an automatic shutdown's), left off by an operator. */
  const variants = (
    from: HostPowerStateName,
  ): Array<{ name: string; leftOff: boolean; owed: boolean; rec: HostPowerRecord }> => [
    { name: 'plain', leftOff: false, owed: false, rec: record(from) },
    {
      name: 'owed a wake',
      leftOff: false,
      owed: true,
      rec: record(from, { wakeAfterOutage: true, planId: 'p0', source: 'plan:p0: powered off, verified down' }),
    },
    {
      name: 'left off',
      leftOff: true,
      owed: false,
      rec: record(from, { source: from === 'off' ? `plan:p0: powered off, verified down; ${DECISION}` : DECISION }),
    },
  ];
  for (const observation of observations)
    for (const from of HOST_POWER_STATES)
      test(`${from} + ${observation.kind}: state ${EXPECTED[observation.kind][from] ?? 'unchanged'}`, () => {
        const changed = EXPECTED[observation.kind][from];
        for (const v of variants(from)) {
          const next = nextHostPowerState(v.rec, observation);
          const rest = REST[observation.kind](from, v.leftOff, v.owed);
          if (rest === 'unchanged') {
            assert.equal(next, undefined, `${v.name}: nothing changes`);
            continue;
          }
          assert.ok(next !== undefined, `${v.name}: a new record`);
          assert.equal(next.state, changed ?? from, `${v.name}: state`);
          assert.ok(next.source !== null && next.source.length > 0, 'says what it rests on');
          assert.equal(isLeftOff(next), rest.leftOff, `${v.name}: left off? (${next.source})`);
          assert.equal(next.wakeAfterOutage, rest.owed, `${v.name}: owed a wake?`);
          // The decision is carried once, as the operator made it, whatever the record said before.
          if (rest.leftOff) assert.ok(next.source.endsWith(DECISION), next.source);
          assert.ok(next.source.split(LEFT_OFF_MARK).length <= 2, `one decision in ${next.source}`);
        }
      });
});

describe('nextHostPowerState: what each state rests on', () => {
  test("a verified power-off names its plan; nutfleet's automatic shutdown owes the host a wake", () => {
    const next = nextHostPowerState(record('on'), { kind: 'powered-off', at: at(5), planId: 'p1', automatic: true });
    assert.deepEqual(next, {
      state: 'off',
      since: at(5),
      source: 'plan:p1: powered off, verified down',
      planId: 'p1',
      wakeAfterOutage: true,
    });
  });

  test("an operator's armed plan powers off without owing a wake", () => {
    const next = nextHostPowerState(record('on'), { kind: 'powered-off', at: at(5), planId: 'm1', automatic: false });
    assert.equal(next?.wakeAfterOutage, false);
  });

  test('a verified wake clears the debt; a failed wake keeps it for the next restart', () => {
    const owed = record('off', { wakeAfterOutage: true, planId: 'p1', source: 'plan:p1: powered off, verified down' });
    assert.equal(nextHostPowerState(owed, { kind: 'woken', at: at(60), planId: 'r1' })?.wakeAfterOutage, false);
    const failed = nextHostPowerState(owed, { kind: 'wake-failed', at: at(60), planId: 'r1', error: 'no SSH' });
    assert.equal(failed?.state, 'off');
    assert.equal(failed?.wakeAfterOutage, true);
    assert.match(failed?.source ?? '', /^plan:r1: not back after Wake-on-LAN: no SSH$/);
  });

  test('a host that came back by itself is on, owes nothing, and says so', () => {
    const next = nextHostPowerState(record('off', { wakeAfterOutage: true }), { kind: 'returned', at: at(30) });
    assert.deepEqual(next, {
      state: 'on',
      since: at(30),
      source: 'returned by itself: SSH answered',
      planId: null,
      wakeAfterOutage: false,
    });
  });

  test('an unreachable host keeps its debt (an automatic shutdown may still owe it a wake)', () => {
    const next = nextHostPowerState(record('on', { wakeAfterOutage: true }), {
      kind: 'ssh-unreachable',
      at: at(1),
      error: 'connect ECONNREFUSED 127.0.0.1:22\nat …',
    });
    assert.equal(next?.wakeAfterOutage, true);
    assert.equal(next?.source, 'SSH: connect ECONNREFUSED 127.0.0.1:22', 'the first line only');
  });

  test('long errors are cut in the source', () => {
    const next = nextHostPowerState(record('on'), { kind: 'ssh-unreachable', at: at(1), error: 'x'.repeat(500) });
    assert.equal(next?.source?.length, 'SSH: '.length + 160);
  });

  test('a host never observed takes the first observation, whatever its time', () => {
    const next = nextHostPowerState(NEVER_SEEN, { kind: 'discovered', at: new Date(0) });
    assert.equal(next?.state, 'on');
  });
});

describe('nextHostPowerState: order', () => {
  test('an observation older than what the record rests on changes nothing (a late job, a slow worker)', () => {
    const off = record('off', { since: at(100), source: 'plan:p1: powered off, verified down', planId: 'p1' });
    assert.equal(nextHostPowerState(off, { kind: 'discovered', at: at(99) }), undefined);
    assert.equal(nextHostPowerState(off, { kind: 'woken', at: at(50), planId: 'r0' }), undefined);
    assert.equal(
      nextHostPowerState(off, { kind: 'discovered', at: at(100) })?.state,
      'on',
      'same instant: newer news wins',
    );
  });
});

describe('leave off', () => {
  const leftOff = nextHostPowerState(record('off', { wakeAfterOutage: true, planId: 'p1' }), {
    kind: 'left-off',
    at: at(20),
    by: 'token "alice"',
  });

  test('keeps the state and its plan, drops the debt, and says who decided', () => {
    assert.equal(leftOff?.state, 'off');
    assert.equal(leftOff?.planId, 'p1');
    assert.equal(leftOff?.since?.getTime(), T0.getTime(), 'the state did not change: neither does its instant');
    assert.equal(leftOff?.wakeAfterOutage, false);
    assert.match(leftOff?.source ?? '', /^operator:token "alice": left off/);
    assert.ok(leftOff !== undefined && isLeftOff(leftOff));
  });

  test("survives a later automatic shutdown: still owed nothing, the plan and the operator's decision both named", () => {
    const on = nextHostPowerState(record('on'), { kind: 'left-off', at: at(1), by: 'bob' });
    assert.ok(on !== undefined);
    const off = nextHostPowerState(on, { kind: 'powered-off', at: at(50), planId: 'p2', automatic: true });
    assert.equal(off?.wakeAfterOutage, false);
    assert.match(off?.source ?? '', /^plan:p2: powered off, verified down; operator:bob: left off/);
    assert.ok(off !== undefined && isLeftOff(off));
  });

  test('allow-wake undoes it, and an off host is owed a wake again', () => {
    assert.ok(leftOff !== undefined);
    const allowed = nextHostPowerState(leftOff, { kind: 'wake-allowed', at: at(40), by: 'alice' });
    assert.equal(allowed?.state, 'off');
    assert.equal(allowed?.wakeAfterOutage, true);
    assert.ok(allowed !== undefined && !isLeftOff(allowed));
  });

  test('a verified wake or a return ends the decision (the host is up again)', () => {
    assert.ok(leftOff !== undefined);
    const back = nextHostPowerState(leftOff, { kind: 'returned', at: at(90) });
    assert.ok(back !== undefined && !isLeftOff(back));
  });
});

describe('observationOfStep', () => {
  const base = { planId: 'p', planMode: 'ARMED', automatic: true, error: null, at: at(3) } as const;

  test('a shutdown: a verified power-off, or a power-off that could not be verified', () => {
    assert.deepEqual(observationOfStep({ ...base, action: 'host-power-off', state: 'SUCCEEDED' }), {
      kind: 'powered-off',
      at: at(3),
      planId: 'p',
      automatic: true,
    });
    assert.equal(
      observationOfStep({ ...base, action: 'host-power-off', state: 'FAILED', error: 'still up' })?.kind,
      'power-off-failed',
    );
  });

  test('a restart: a verified ESXi is on; a failed wake or SSH wait is still off', () => {
    assert.equal(observationOfStep({ ...base, action: 'verify-esxi', state: 'SUCCEEDED' })?.kind, 'woken');
    assert.equal(observationOfStep({ ...base, action: 'wake', state: 'FAILED' })?.kind, 'wake-failed');
    assert.equal(observationOfStep({ ...base, action: 'wait-ssh', state: 'FAILED' })?.kind, 'wake-failed');
    assert.equal(observationOfStep({ ...base, action: 'verify-esxi', state: 'FAILED' }), undefined, 'SSH answered');
    assert.equal(observationOfStep({ ...base, action: 'wake', state: 'SUCCEEDED' }), undefined, 'a packet is no proof');
  });

  test('dry runs, skipped steps and VM steps say nothing about the host', () => {
    assert.equal(
      observationOfStep({ ...base, planMode: 'DRY_RUN', action: 'host-power-off', state: 'SUCCEEDED' }),
      undefined,
    );
    assert.equal(observationOfStep({ ...base, action: 'host-power-off', state: 'SKIPPED' }), undefined);
    assert.equal(observationOfStep({ ...base, action: 'vm-stop', state: 'SUCCEEDED' }), undefined);
    assert.equal(observationOfStep({ ...base, action: 'power-on-vms', state: 'FAILED' }), undefined);
  });
});

test('the database spelling of each state round-trips; anything else reads as unknown', () => {
  for (const state of HOST_POWER_STATES) assert.equal(hostPowerStateOfColumn(HOST_POWER_STATE_COLUMN[state]), state);
  assert.equal(hostPowerStateOfColumn('SOMETHING'), 'unknown');
});

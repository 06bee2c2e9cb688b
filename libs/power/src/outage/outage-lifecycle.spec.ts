import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { T0, at, history } from '../../test/power-fixtures';
import { type OutageLifecycleInput, type OutageSnapshot, advanceOutage } from './outage-lifecycle';

const NO_PLANS = { shutdownRunning: false, hostsPoweredOff: 0, restartFinished: false };

function run(over: Partial<OutageLifecycleInput>): string[] {
  return advanceOutage({
    histories: [],
    criticalHostIds: [],
    criticalUpsIds: [],
    plans: NO_PLANS,
    powerBackConfirmSeconds: 10,
    now: at(100),
    ...over,
  }).actions.map((a) => a.kind);
}

const outage = (over: Partial<OutageSnapshot> = {}): OutageSnapshot => ({
  id: 'o1',
  state: 'shedding',
  openedAt: at(10),
  upsIds: ['A'],
  disarmed: false,
  ...over,
});

describe('outage lifecycle', () => {
  test('a UPS on battery opens an outage dated by its own onset, not the clock', () => {
    const decision = advanceOutage({
      histories: [
        history('A', [
          [0, 'OL'],
          [42, 'OB'],
        ]),
      ],
      criticalHostIds: [],
      criticalUpsIds: [],
      plans: NO_PLANS,
      powerBackConfirmSeconds: 10,
      now: at(100),
    });
    assert.deepEqual(decision.actions[0], {
      kind: 'open',
      openedAt: at(42),
      upsIds: ['A'],
      message: `outage opened: A off line power since ${new Date(at(42)).toISOString()}`,
    });
  });

  test('a calibration on battery is not an outage', () => {
    assert.deepEqual(
      run({
        histories: [
          history('A', [
            [0, 'OL'],
            [42, 'OB CAL'],
          ]),
        ],
      }),
      [],
    );
  });

  test('critical hosts are shed; an operator disarmed outage sheds nothing more', () => {
    const h = [
      history('A', [
        [0, 'OL'],
        [10, 'OB LB'],
      ]),
    ];
    assert.deepEqual(run({ outage: outage(), histories: h, criticalHostIds: ['h1'], criticalUpsIds: ['A'] }), ['shed']);
    assert.deepEqual(
      run({ outage: outage({ disarmed: true }), histories: h, criticalHostIds: ['h1'], criticalUpsIds: ['A'] }),
      [],
    );
  });

  test('a UPS that joins while the outage runs is added', () => {
    const h = [
      history('A', [
        [0, 'OL'],
        [10, 'OB'],
      ]),
      history('B', [
        [0, 'OL'],
        [50, 'OB'],
      ]),
    ];
    assert.deepEqual(run({ outage: outage(), histories: h }), ['add-upses']);
  });

  test('mains back but not yet stable: wait for the window, with a re-check instant', () => {
    const decision = advanceOutage({
      outage: outage(),
      histories: [
        history('A', [
          [0, 'OL'],
          [10, 'OB'],
          [95, 'OL CHRG LB'],
        ]),
      ],
      criticalHostIds: [],
      criticalUpsIds: [],
      plans: NO_PLANS,
      powerBackConfirmSeconds: 10,
      now: at(100),
    });
    assert.deepEqual(decision.actions, []);
    assert.equal(decision.recheckAt, at(105));
  });

  test('mains back and stable: closed when nothing was powered off, a restart otherwise, after the shutdown finished', () => {
    const h = [
      history('A', [
        [0, 'OL'],
        [10, 'OB'],
        [80, 'OL CHRG'],
      ]),
    ];
    assert.deepEqual(run({ outage: outage(), histories: h }), ['power-back', 'close']);
    assert.deepEqual(
      run({ outage: outage(), histories: h, plans: { ...NO_PLANS, shutdownRunning: true, hostsPoweredOff: 1 } }),
      ['power-back'],
    );
    assert.deepEqual(
      run({ outage: outage({ state: 'power-back' }), histories: h, plans: { ...NO_PLANS, hostsPoweredOff: 3 } }),
      ['request-restart'],
    );
  });

  test('power lost again before the restart: the same outage goes back to shedding', () => {
    const h = [
      history('A', [
        [0, 'OL'],
        [10, 'OB'],
        [50, 'OL'],
        [90, 'OB'],
      ]),
    ];
    assert.deepEqual(run({ outage: outage({ state: 'power-back' }), histories: h }), ['power-lost-again']);
  });

  test('restarting: the next OB supersedes it and opens a new outage whose timers start at the restart', () => {
    const decision = advanceOutage({
      outage: outage({ state: 'restarting' }),
      histories: [
        history('A', [
          [0, 'OL'],
          [10, 'OB'],
        ]),
      ],
      criticalHostIds: [],
      criticalUpsIds: [],
      plans: { ...NO_PLANS, lastRestartAt: at(60) },
      powerBackConfirmSeconds: 10,
      now: at(100),
    });
    assert.deepEqual(
      decision.actions.map((a) => a.kind),
      ['close', 'open'],
    );
    const open = decision.actions[1];
    assert.equal(open?.kind === 'open' ? open.timersFrom : undefined, at(60));
    const close = decision.actions[0];
    assert.equal(close?.kind === 'close' ? close.reason : undefined, 'superseded');
  });

  test('restarting: closed when its restart finished and power holds', () => {
    assert.deepEqual(
      run({
        outage: outage({ state: 'restarting' }),
        histories: [history('A', [[0, 'OL']])],
        plans: { ...NO_PLANS, restartFinished: true },
      }),
      ['close'],
    );
    assert.ok(T0 > 0);
  });
  test('FSD on mains: the hosts it makes critical open an outage that names the UPS, and power counts as back', () => {
    const h = [
      history('A', [
        [0, 'OL'],
        [50, 'OL FSD'],
      ]),
    ];
    const opened = advanceOutage({
      histories: h,
      criticalHostIds: ['h1'],
      criticalUpsIds: ['A'],
      plans: NO_PLANS,
      powerBackConfirmSeconds: 10,
      now: at(51),
    }).actions;
    assert.deepEqual(
      opened.map((a) => a.kind),
      ['open', 'shed'],
    );
    assert.deepEqual(opened[0]?.kind === 'open' ? opened[0].upsIds : [], ['A']);
    // Mains never left: once the shutdown is done, the restart is requested (its gate waits for FSD to clear).
    assert.deepEqual(
      run({
        outage: outage({ openedAt: at(50) }),
        histories: h,
        plans: { ...NO_PLANS, hostsPoweredOff: 1 },
        now: at(70),
      }),
      ['power-back', 'request-restart'],
    );
  });

  test('FSD latched on mains while restarting, its hosts known off: no outage after outage', () => {
    const h = [
      history('A', [
        [0, 'OL'],
        [50, 'OL FSD'],
      ]),
    ];
    assert.deepEqual(run({ outage: outage({ state: 'restarting', openedAt: at(50) }), histories: h }), []);
    assert.deepEqual(run({ histories: h }), [], 'nor with no outage at all');
    // A host that is on (came back by itself) is critical under FSD, as upsmon would have it.
    assert.deepEqual(
      run({
        outage: outage({ state: 'restarting', openedAt: at(50) }),
        histories: h,
        criticalHostIds: ['h2'],
        criticalUpsIds: ['A'],
      }),
      ['close', 'open', 'shed'],
    );
  });

  test('FSD without mains (a silent UPS last seen FSD OB) is off line power', () => {
    const h = [
      history('A', [
        [0, 'OL'],
        [50, 'OB FSD'],
      ]),
    ];
    assert.deepEqual(run({ histories: h }), ['open']);
  });
});

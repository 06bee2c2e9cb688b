import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type PowerCycleDecisionInput, type PowerCycleHost, decidePowerCycle } from './power-cycle.decision';
import { type PowerCycleAction } from './power-cycle.types';

const T = 1_000_000;
const down = (id: string): PowerCycleHost => ({ hostId: id, name: `esx-${id}`, inPlan: true, state: 'down' });
const goingDown = (id: string, deadlineAt: number, sshAnswers?: boolean): PowerCycleHost => ({
  hostId: id,
  name: `esx-${id}`,
  inPlan: true,
  state: 'not-down',
  deadlineAt,
  ...(sshAnswers === undefined ? {} : { sshAnswers }),
});

function input(overrides: Partial<PowerCycleDecisionInput> = {}, action: PowerCycleAction = 'shutdown.return') {
  return {
    upsId: 'ups-a',
    settings: { action, allowWithUnmanagedLoads: false },
    hosts: [down('h1'), down('h2')],
    feedsUnmanagedLoads: false,
    status: ['OB', 'DISCHRG'],
    sentAt: null,
    dryRun: false,
    now: T,
    ...overrides,
  } satisfies PowerCycleDecisionInput;
}

const codes = (d: ReturnType<typeof decidePowerCycle>): string[] => d.reasons.map((r) => r.code);

describe('decidePowerCycle', () => {
  it('every host down: send, saying so', () => {
    const d = decidePowerCycle(input());
    assert.equal(d.verdict, 'send');
    assert.deepEqual(codes(d), ['ALL_HOSTS_DOWN']);
  });

  it('action none: never', () => {
    const d = decidePowerCycle(input({}, 'none'));
    assert.equal(d.verdict, 'never');
    assert.deepEqual(codes(d), ['NOT_CONFIGURED']);
  });

  it('exactly once per outage: never after it was sent', () => {
    const d = decidePowerCycle(input({ sentAt: T - 5000 }));
    assert.equal(d.verdict, 'never');
    assert.deepEqual(codes(d), ['ALREADY_SENT']);
    assert.match(d.reasons[0]?.message ?? '', /already sent at 1970-01-01T00:16:35/);
  });

  it('dry run: never sent, even with every host down', () => {
    const d = decidePowerCycle(input({ dryRun: true }));
    assert.equal(d.verdict, 'never');
    assert.deepEqual(codes(d), ['DRY_RUN']);
  });

  it('a host the plan leaves running: never, naming it, unless the admin override', () => {
    const kept: PowerCycleHost = { hostId: 'h3', name: 'esx-kept', inPlan: false, state: 'not-down' };
    const d = decidePowerCycle(input({ hosts: [down('h1'), kept] }));
    assert.equal(d.verdict, 'never');
    assert.deepEqual(codes(d), ['FEEDS_HOSTS_LEFT_RUNNING']);
    assert.match(d.reasons[0]?.message ?? '', /esx-kept/);

    const allowed = decidePowerCycle(
      input({ hosts: [down('h1'), kept], settings: { action: 'shutdown.return', allowWithUnmanagedLoads: true } }),
    );
    assert.equal(allowed.verdict, 'send');
    assert.deepEqual(codes(allowed), ['OVERRIDDEN', 'ALL_HOSTS_DOWN']);
  });

  it('unmanaged loads: never unless the admin override', () => {
    assert.deepEqual(codes(decidePowerCycle(input({ feedsUnmanagedLoads: true }))), ['FEEDS_UNMANAGED_LOADS']);
    const allowed = decidePowerCycle(
      input({ feedsUnmanagedLoads: true, settings: { action: 'shutdown.stayoff', allowWithUnmanagedLoads: true } }),
    );
    assert.equal(allowed.verdict, 'send');
  });

  it('the unmanaged-load rule beats dry run and "already sent" order is kept (sent first)', () => {
    assert.deepEqual(codes(decidePowerCycle(input({ feedsUnmanagedLoads: true, dryRun: true }))), [
      'FEEDS_UNMANAGED_LOADS',
    ]);
    assert.deepEqual(codes(decidePowerCycle(input({ feedsUnmanagedLoads: true, sentAt: T }))), ['ALREADY_SENT']);
  });

  it('a host still shutting down before its deadline: wait until it is down, recheck at its deadline', () => {
    const d = decidePowerCycle(
      input({ hosts: [down('h1'), goingDown('h2', T + 30_000), goingDown('h3', T + 10_000)] }),
    );
    assert.equal(d.verdict, 'wait');
    if (d.verdict !== 'wait') return;
    assert.deepEqual(d.holdingHostIds, ['h2', 'h3']);
    assert.deepEqual(d.probeSshHostIds, []);
    assert.equal(d.recheckAt, T + 10_000);
  });

  it('a host past its deadline: probe SSH first; silent counts down; answering holds it and is named', () => {
    const unprobed = decidePowerCycle(input({ hosts: [down('h1'), goingDown('h2', T - 1)] }));
    assert.equal(unprobed.verdict, 'wait');
    if (unprobed.verdict === 'wait') {
      assert.deepEqual(unprobed.probeSshHostIds, ['h2']);
      assert.deepEqual(codes(unprobed), ['HOST_PAST_DEADLINE_UNPROBED']);
    }

    const silent = decidePowerCycle(input({ hosts: [down('h1'), goingDown('h2', T - 1, false)] }));
    assert.equal(silent.verdict, 'send');
    assert.deepEqual(codes(silent), ['HOST_PAST_DEADLINE_SILENT', 'ALL_HOSTS_DOWN']);

    const answering = decidePowerCycle(input({ hosts: [down('h1'), goingDown('h2', T, true)] }));
    assert.equal(answering.verdict, 'wait');
    if (answering.verdict === 'wait') {
      assert.deepEqual(answering.holdingHostIds, ['h2']);
      assert.deepEqual(answering.probeSshHostIds, []);
      assert.match(answering.reasons[0]?.message ?? '', /esx-h2 is past its deadline but still answers over SSH/);
    }
  });

  it('a host not down without a deadline holds the cycle (no recheck time)', () => {
    const d = decidePowerCycle(input({ hosts: [{ hostId: 'h9', name: 'x', inPlan: true, state: 'not-down' }] }));
    assert.equal(d.verdict, 'wait');
    if (d.verdict === 'wait') assert.equal(d.recheckAt, undefined);
  });

  it('never while FSD is latched', () => {
    const d = decidePowerCycle(input({ status: ['FSD', 'OB', 'LB'] }));
    assert.equal(d.verdict, 'wait');
    assert.deepEqual(codes(d), ['FSD_LATCHED']);
    if (d.verdict === 'wait') assert.deepEqual(d.holdingHostIds, []);
  });

  it('no reading of the UPS: wait', () => {
    assert.deepEqual(codes(decidePowerCycle(input({ status: null }))), ['NO_READING']);
  });

  it('load.off.delay+load.on.delay only while the input is on line; shutdown.return/stayoff also on battery', () => {
    const onBattery = decidePowerCycle(input({ status: ['OB', 'DISCHRG'] }, 'load.off.delay+load.on.delay'));
    assert.equal(onBattery.verdict, 'wait');
    assert.deepEqual(codes(onBattery), ['INPUT_NOT_ON_LINE']);
    assert.equal(decidePowerCycle(input({ status: ['OL', 'CHRG'] }, 'load.off.delay+load.on.delay')).verdict, 'send');
    assert.equal(decidePowerCycle(input({ status: ['OB'] }, 'shutdown.return')).verdict, 'send');
    assert.equal(decidePowerCycle(input({ status: ['OB'] }, 'shutdown.stayoff')).verdict, 'send');
  });

  it('every hold is reported at once: hosts and UPS state together', () => {
    const d = decidePowerCycle(
      input({ hosts: [goingDown('h1', T + 5000)], status: ['FSD', 'OB'] }, 'load.off.delay+load.on.delay'),
    );
    assert.deepEqual(codes(d), ['HOST_SHUTTING_DOWN', 'FSD_LATCHED', 'INPUT_NOT_ON_LINE']);
  });

  it('a UPS feeding no host of the plan is never cycled: nothing says its load is down', () => {
    assert.deepEqual(codes(decidePowerCycle(input({ hosts: [] }))), ['NO_HOST_IN_PLAN']);
    const onlyKept: PowerCycleHost = { hostId: 'k', name: 'k', inPlan: false, state: 'not-down' };
    const allowed = { action: 'shutdown.return', allowWithUnmanagedLoads: true } as const;
    assert.deepEqual(codes(decidePowerCycle(input({ hosts: [onlyKept], settings: allowed }))), ['NO_HOST_IN_PLAN']);
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { at, host, vm } from '../test/power-fixtures';
import { withMeasuredDurations } from './measured-durations';
import { predictDuration, readPredictionSource, summariseDurations } from './prediction-source';
import { buildShutdownPlan } from './shutdown-plan.builder';
import { resolveShutdownPolicy } from './shutdown-policy';

const WHY = { setting: 'hostPowerOffTimeoutSeconds', text: "the policy's host power-off timeout 180 s" };

describe('predictDuration', () => {
  it('without a measurement: the worst case, named by its policy setting', () => {
    assert.deepEqual(predictDuration(180, undefined, undefined, WHY), {
      seconds: 180,
      source: {
        kind: 'policy',
        setting: 'hostPowerOffTimeoutSeconds',
        text: "no measurement yet: the worst case, the policy's host power-off timeout 180 s",
      },
    });
  });

  it('with one: the measured figure, naming the plan, when and how many runs', () => {
    const origin = { planId: 'p9', measuredAt: at(0), samples: 2 };
    const { seconds, source } = predictDuration(180, 42.26, origin, WHY);
    assert.equal(seconds, 42.26);
    assert.equal(source.kind, 'measured');
    assert.equal(source.planId, 'p9');
    assert.equal(source.samples, 2);
    assert.equal(source.text, `measured 42.3 s in plan p9 at ${new Date(at(0)).toISOString()}, slowest of 2 runs`);
  });

  it('a measurement beyond the worst case is capped, and says so', () => {
    const { seconds, source } = predictDuration(180, 400, undefined, WHY);
    assert.equal(seconds, 180);
    assert.match(source.text, /^measured 400 s \(capped at the worst case/);
  });
});

describe('summariseDurations', () => {
  it('the slowest recent run, named by the latest one', () => {
    assert.equal(summariseDurations([]), undefined);
    assert.deepEqual(
      summariseDurations([
        { seconds: 30, planId: 'old', finishedAt: at(0) },
        { seconds: 20, planId: 'new', finishedAt: at(100) },
      ]),
      { seconds: 30, origin: { planId: 'new', measuredAt: at(100), samples: 2 } },
    );
  });
});

describe('readPredictionSource', () => {
  it('reads back what was written; anything else is no source', () => {
    const source = { kind: 'measured', text: 't', planId: 'p', measuredAt: 5, samples: 1 };
    assert.deepEqual(readPredictionSource(JSON.parse(JSON.stringify(source))), source);
    assert.equal(readPredictionSource({ kind: 'guess', text: 't' }), null);
    assert.equal(readPredictionSource({ kind: 'policy' }), null);
    assert.equal(readPredictionSource(undefined), null);
  });
});

describe('measured durations feed the shutdown plan', () => {
  const policy = resolveShutdownPolicy({ id: 'default' });
  const plan = (samples: Parameters<typeof withMeasuredDurations>[1]) =>
    buildShutdownPlan({
      planKey: 'k',
      hosts: withMeasuredDurations([host('h1', { vms: [vm('1'), vm('2')] }), host('h2')], samples),
      feeds: [],
      policies: [policy],
      histories: [],
      now: at(0),
    });

  it('each step predicts from its own target history, and names where each number comes from', () => {
    const built = plan([
      { hostId: 'h1', vmId: '1', seconds: 12, planId: 'p1', finishedAt: at(-3600) },
      { hostId: 'h1', vmId: '1', seconds: 15, planId: 'p2', finishedAt: at(-60) },
      { hostId: 'h1', vmId: null, seconds: 25, planId: 'p2', finishedAt: at(-50) },
      // Another host's VM of the same id measures nothing for h1's.
      { hostId: 'h2', vmId: '2', seconds: 1, planId: 'p2', finishedAt: at(-50) },
    ]);
    const step = (key: string) => built.steps.find((s) => s.key === key);
    const vm1 = step('host:h1:vm:1:stop');
    assert.equal((vm1?.predictedEndSeconds ?? 0) - (vm1?.predictedStartSeconds ?? 0), 15);
    assert.deepEqual(
      [vm1?.predictionSource.kind, vm1?.predictionSource.planId, vm1?.predictionSource.samples],
      ['measured', 'p2', 2],
    );
    const vm2 = step('host:h1:vm:2:stop');
    assert.equal(vm2?.predictionSource.kind, 'policy');
    assert.equal((vm2?.predictedEndSeconds ?? 0) - (vm2?.predictedStartSeconds ?? 0), vm2 ? 150 : -1);
    const off = step('host:h1:power-off');
    assert.equal((off?.predictedEndSeconds ?? 0) - (off?.predictedStartSeconds ?? 0), 25);
    assert.equal(off?.predictionSource.kind, 'measured');
    const h2 = step('host:h2:power-off');
    assert.equal(h2?.predictionSource.kind, 'policy');
    assert.equal(h2?.predictionSource.setting, 'hostPowerOffTimeoutSeconds');
  });
});

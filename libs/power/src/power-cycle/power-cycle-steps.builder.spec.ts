import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { at, feeds, host } from '../../test/power-fixtures';
import { buildShutdownPlan } from '../shutdown-plan.builder';
import { resolveShutdownPolicy } from '../shutdown-policy';
import { POWER_CYCLE_STAGE, planPowerCycleSteps } from './power-cycle-steps.builder';

const policy = resolveShutdownPolicy({ id: 'default' });
const plan = buildShutdownPlan({
  planKey: 'p',
  hosts: [host('h1', { shutdownStage: 0 }), host('h2', { shutdownStage: 2 }), host('h3', { shutdownStage: 1 })],
  feeds: [...feeds('h1', { A: 1 }), ...feeds('h2', { A: 1 }), ...feeds('h3', { B: 1 })],
  policies: [policy],
  histories: [],
  now: at(0),
});
const off = (id: string) => plan.steps.find((s) => s.kind === 'host-power-off' && s.hostId === id);

describe('planPowerCycleSteps', () => {
  it('one step per UPS with an action, after every stage, depending on the power-off of each host it feeds', () => {
    const steps = planPowerCycleSteps(plan, [
      { upsId: 'B', settings: { action: 'none', allowWithUnmanagedLoads: false }, hostIds: ['h3'] },
      {
        upsId: 'A',
        label: 'ups-a@nut',
        settings: { action: 'shutdown.return', allowWithUnmanagedLoads: false, offDelaySeconds: 20 },
        hostIds: ['h1', 'h2'],
      },
    ]);
    assert.equal(steps.length, 1);
    const [step] = steps;
    assert.ok(step);
    assert.equal(step.stage, POWER_CYCLE_STAGE);
    assert.deepEqual(step.dependsOn, [off('h1')?.key, off('h2')?.key]);
    assert.deepEqual(step.hostNames, ['h1', 'h2']);
    const lastEnd = Math.max(off('h1')?.predictedEndSeconds ?? 0, off('h2')?.predictedEndSeconds ?? 0);
    assert.equal(step.predictedSendSeconds, lastEnd);
    assert.equal(step.deadlineAt, Math.max(off('h1')?.deadlineAt ?? 0, off('h2')?.deadlineAt ?? 0) + 600_000);
    assert.equal(step.timing.outputOffAt, at(lastEnd + 20));
    assert.match(step.timing.summary, /^shutdown\.return on ups-a@nut once/);
  });

  it('a UPS feeding no host of the plan gets no step', () => {
    const steps = planPowerCycleSteps(plan, [
      { upsId: 'C', settings: { action: 'shutdown.stayoff', allowWithUnmanagedLoads: false }, hostIds: ['elsewhere'] },
    ]);
    assert.deepEqual(steps, []);
  });
});

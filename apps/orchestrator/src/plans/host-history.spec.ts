import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { type Prisma } from '@nutfleet/db';

import { hostPlanView } from './host-history';

const plan = {
  id: 'p1',
  kind: 'SHUTDOWN' as const,
  mode: 'ARMED' as const,
  state: 'FAILED' as const,
  reason: 'outage',
  createdAt: new Date('2026-12-04T06:00:00Z'),
  startedAt: null,
  finishedAt: null,
};
const step = (action: string, state: 'SUCCEEDED' | 'FAILED' | 'CANCELLED', detail: Prisma.JsonValue = null) => ({
  action,
  state,
  startedAt: null,
  finishedAt: null,
  error: state === 'FAILED' ? 'timed out' : null,
  detail,
});

describe("a host's plan in its history", () => {
  test('its steps in words and its worst outcome', () => {
    const view = hostPlanView({
      plan,
      steps: [step('vm-stop', 'FAILED', { vmId: '4', vmName: 'db-01' }), step('host-power-off', 'SUCCEEDED')],
    });
    assert.equal(view.result, 'FAILED');
    assert.deepEqual(
      view.steps.map((s) => [s.what, s.state, s.error]),
      [
        ['stop VM db-01', 'FAILED', 'timed out'],
        ['power off host', 'SUCCEEDED', null],
      ],
    );
  });

  test('a host whose steps all succeeded succeeded; a cancelled step outranks successes', () => {
    assert.equal(hostPlanView({ plan, steps: [step('wake', 'SUCCEEDED')] }).result, 'SUCCEEDED');
    assert.equal(
      hostPlanView({ plan, steps: [step('wake', 'SUCCEEDED'), step('wait-ssh', 'CANCELLED')] }).result,
      'CANCELLED',
    );
  });
});

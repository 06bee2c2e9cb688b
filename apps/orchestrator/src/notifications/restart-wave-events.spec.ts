import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { RESTART_GATE_ACTION, type RestartWaveRow } from '@nutfleet/plan';

import { restartWaveFinishedDraft, restartWaveStartedDraft } from './restart-wave-events';

type Step = RestartWaveRow['steps'][number];
const at = new Date('2026-01-01T00:00:00Z');
const gate = (state: Step['state']): Step => ({
  action: RESTART_GATE_ACTION,
  state,
  hostName: null,
  finishedAt: state === 'SUCCEEDED' ? at : null,
  error: null,
});
const step = (hostName: string, action: string, state: Step['state'], error: string | null = null): Step => ({
  action,
  state,
  hostName,
  finishedAt: ['SUCCEEDED', 'FAILED', 'SKIPPED', 'CANCELLED'].includes(state) ? at : null,
  error,
});
const wave = (steps: Step[]): RestartWaveRow => ({ planId: 'p1', mode: 'ARMED', wave: 2, steps });

describe('restart wave drafts', () => {
  test('started once the gate opened, naming the hosts woken', () => {
    assert.equal(restartWaveStartedDraft(wave([gate('PENDING'), step('esx-01', 'wake', 'PENDING')])), null);
    const d = restartWaveStartedDraft(wave([gate('SUCCEEDED'), step('esx-01', 'wake', 'RUNNING')]));
    assert.equal(d?.dedupKey, 'plan:p1:wave:2:started');
    assert.equal(d?.message.title, 'Restart wave 2 started: waking 1 host(s)');
    assert.match(d?.message.text ?? '', /wakes esx-01/);
  });

  test('finished when every step has: back, failed (with why) and cancelled hosts', () => {
    const running = wave([
      gate('SUCCEEDED'),
      step('esx-01', 'wake', 'SUCCEEDED'),
      step('esx-01', 'verify-esxi', 'RUNNING'),
    ]);
    assert.equal(restartWaveFinishedDraft(running), null);
    const d = restartWaveFinishedDraft(
      wave([
        gate('SUCCEEDED'),
        step('esx-01', 'wake', 'SUCCEEDED'),
        step('esx-01', 'power-on-vms', 'SKIPPED'),
        step('esx-02', 'wake', 'SUCCEEDED'),
        step('esx-02', 'wait-ssh', 'FAILED', 'no SSH answer within 600 s'),
        step('esx-02', 'verify-esxi', 'CANCELLED'),
        step('esx-03', 'wake', 'CANCELLED'),
      ]),
    );
    assert.equal(d?.dedupKey, 'plan:p1:wave:2:finished');
    assert.equal(d?.message.severity, 'WARNING');
    assert.equal(d?.message.title, 'Restart wave 2 finished: 1 of 3 host(s) back');
    assert.equal(
      d?.message.text,
      'Wave 2 is done. Back: esx-01. Failed: esx-02 (no SSH answer within 600 s). Cancelled: esx-03.',
    );
  });

  test('a wave where every host came back is informational; dry runs say so', () => {
    const d = restartWaveFinishedDraft({
      ...wave([gate('SUCCEEDED'), step('esx-01', 'wake', 'SUCCEEDED')]),
      mode: 'DRY_RUN',
    });
    assert.equal(d?.message.severity, 'INFO');
    assert.equal(d?.message.title, 'Restart wave 2 finished (dry-run): 1 of 1 host(s) back');
  });
});

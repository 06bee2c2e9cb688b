import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { buildRestartPlan } from '@nutfleet/power';

import { gateDecisionSignature, restartHostProgress } from './restart-host-progress';
import { gateKey, readRestartStepDetail, RESTART_GATE_ACTION as GATE_ACTION } from '@nutfleet/plan';
import { restartStepRows } from './restart-steps.mapper';
import { hostsTakenDown, measureShutdown } from './shutdown-measurement';

const host = (id: string, restartWave: number, autostartEnabled = false) => ({
  host: {
    id,
    name: id,
    minSupplies: 1,
    shutdownStage: 0,
    restartWave,
    policyId: 'p',
    powerState: 'on' as const,
    autostartEnabled,
    vms: [
      { id: '2', name: 'b', powerState: 'on' as const, toolsState: 'running' as const, autostartOrder: 2 },
      { id: '1', name: 'a', powerState: 'on' as const, toolsState: 'running' as const, autostartOrder: 1 },
    ],
  },
  wasUpBeforeOutage: true,
});

describe('restartStepRows (plan to steps)', () => {
  const plan = buildRestartPlan({
    planKey: 'p',
    hosts: [host('h1', 0), host('h2', 1, true), host('h3', 1)],
    feeds: [
      { hostId: 'h1', upsId: 'A', powerValue: 1 },
      { hostId: 'h2', upsId: 'A', powerValue: 1 },
      { hostId: 'h3', upsId: 'B', powerValue: 1 },
    ],
  });
  const rows = restartStepRows(plan);

  test('one gate step per wave, first in its wave, never tied to a host', () => {
    const gates = rows.filter((r) => r.action === GATE_ACTION);
    assert.deepEqual(
      gates.map((g) => [g.key, g.stage, g.hostId]),
      [
        [gateKey(0), 0, null],
        [gateKey(1), 1, null],
      ],
    );
    assert.equal(rows[0]?.key, gateKey(0));
  });

  test('a host waits for its wave gate, then wake → wait-ssh → verify → power-on, stage = wave', () => {
    const h3 = rows.filter((r) => r.hostId === 'h3');
    assert.deepEqual(
      h3.map((r) => r.action),
      ['wake', 'wait-ssh', 'verify-esxi', 'power-on-vms'],
    );
    assert.deepEqual(h3[0]?.dependsOn, [gateKey(1)]);
    assert.deepEqual(h3[1]?.dependsOn, ['host:h3:wake']);
    assert.ok(h3.every((r) => r.stage === 1));
    assert.deepEqual(readRestartStepDetail(h3[3]?.detail).vmIds, ['1', '2']);
  });

  test('a host that autostarts its VMs gets no power-on step; sequences are unique and ordered', () => {
    assert.ok(!rows.some((r) => r.hostId === 'h2' && r.action === 'power-on-vms'));
    assert.deepEqual(
      rows.map((r) => r.sequence),
      rows.map((_, i) => i),
    );
  });
});

describe('restartHostProgress', () => {
  const step = (hostId: string, action: string, state: string, at = 1000) => ({
    hostId,
    action,
    state,
    startedAt: at,
    finishedAt: at + 5,
  });
  test('pending, waking (woken at the wake step end), verified, failed', () => {
    const progress = restartHostProgress(
      ['p', 'w', 'v', 'f'],
      [
        step('p', 'wake', 'PENDING'),
        step('w', 'wake', 'SUCCEEDED'),
        step('w', 'wait-ssh', 'RUNNING'),
        step('v', 'wake', 'SUCCEEDED'),
        step('v', 'verify-esxi', 'SUCCEEDED'),
        step('f', 'wake', 'SUCCEEDED'),
        step('f', 'wait-ssh', 'FAILED'),
      ],
    );
    assert.deepEqual(
      progress.map((p) => [p.hostId, p.state, p.wokenAt]),
      [
        ['p', 'pending', undefined],
        ['w', 'waking', 1005],
        ['v', 'verified', 1005],
        ['f', 'failed', 1005],
      ],
    );
  });
});

describe('gateDecisionSignature', () => {
  const result = (reason: string, open = false) => ({
    wave: 0,
    open,
    checks: [{ gate: 'power-stable', open, reasons: [reason] }],
  });
  test('a window counting down is the same decision; a flap or an opening is a new one', () => {
    assert.equal(
      gateDecisionSignature(result('ups on line for 2 s only (since 2026-01-01T00:00:01.000Z)')),
      gateDecisionSignature(result('ups on line for 7 s only (since 2026-01-01T00:00:01.000Z)')),
    );
    assert.notEqual(
      gateDecisionSignature(result('ups on line for 2 s only')),
      gateDecisionSignature(result('ups not on line (status "OB")')),
    );
    assert.notEqual(gateDecisionSignature(result('x')), gateDecisionSignature(result('x', true)));
  });
});

describe('shutdown measurement and who was up', () => {
  test('duration to the last host down, per UPS by the hosts it feeds', () => {
    const m = measureShutdown(
      0,
      [
        { hostId: 'a', state: 'SUCCEEDED', finishedAt: 10_000 },
        { hostId: 'b', state: 'SUCCEEDED', finishedAt: 42_100 },
        { hostId: 'c', state: 'FAILED', finishedAt: 99_000 },
      ],
      [
        { hostId: 'a', upsId: 'A' },
        { hostId: 'b', upsId: 'B' },
        { hostId: 'a', upsId: 'B' },
      ],
    );
    assert.deepEqual(m, { durationSeconds: 43, perUpsSeconds: { A: 10, B: 43 } });
    assert.equal(measureShutdown(0, [], []), undefined);
  });

  test('up before the outage = taken down by the shutdown (succeeded, or poweroff sent)', () => {
    assert.deepEqual(
      hostsTakenDown([
        { hostId: 'b', state: 'SUCCEEDED', finishedAt: 1, commandSent: true },
        { hostId: 'a', state: 'FAILED', finishedAt: 1, commandSent: true },
        { hostId: 'c', state: 'CANCELLED', finishedAt: 1, commandSent: false },
      ]),
      ['a', 'b'],
    );
  });
});

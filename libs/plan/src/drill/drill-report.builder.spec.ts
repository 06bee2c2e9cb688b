import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { buildDrillReport } from './drill-report.builder';
import { type DrillReportInput, type DrillStepRow } from './drill-report.types';
import { compareDuration } from './duration-comparison';

const T0 = Date.parse('2026-12-04T10:00:00Z');
const at = (s: number): Date => new Date(T0 + s * 1000);

function shutdownStep(
  hostId: string,
  key: string,
  predicted: [number, number],
  ran: [number, number] | null,
  state = 'SUCCEEDED',
  error: string | null = null,
): DrillStepRow {
  const kind = key.endsWith(':off') ? 'host-power-off' : 'vm-stop';
  return {
    key,
    action: kind,
    hostId,
    state,
    startedAt: ran === null ? null : at(ran[0]),
    finishedAt: ran === null ? null : at(ran[1]),
    output: null,
    error,
    detail: {
      kind,
      hostName: hostId,
      ladder: [],
      startOffsetSeconds: predicted[0],
      deadlineOffsetSeconds: predicted[1] + 60,
      predictedStartSeconds: predicted[0],
      predictedEndSeconds: predicted[1],
      why: 'test',
      ...(kind === 'vm-stop' ? { vmId: '1', vmName: 'web', batch: 0 } : {}),
    },
  };
}

function restartStep(hostId: string, action: string, ran: [number, number] | null, state = 'SUCCEEDED'): DrillStepRow {
  return {
    key: `${hostId}:${action}`,
    action,
    hostId,
    state,
    startedAt: ran === null ? null : at(ran[0]),
    finishedAt: ran === null ? null : at(ran[1]),
    output: null,
    error: state === 'FAILED' ? 'no SSH answer within 30 s' : null,
    detail: { kind: action, hostName: hostId, wave: 0, timeoutSeconds: 30, hostTimeoutSeconds: 60 },
  };
}

const drill = (kind: 'rehearsal' | 'live'): DrillReportInput['drill'] => ({
  id: 'd1',
  kind,
  groupName: 'lab',
  requestedBy: 'operator:ops',
  state: 'SUCCEEDED',
  createdAt: at(0),
  finishedAt: at(200),
  error: null,
});
const hosts = [
  { id: 'h1', name: 'esx-1' },
  { id: 'h2', name: 'esx-2' },
];

describe('compareDuration', () => {
  test('within a quarter of the prediction (at least one second) is as predicted', () => {
    assert.equal(
      compareDuration({ predictedSeconds: 20, budgetSeconds: null, measuredSeconds: 24, readOnly: false }),
      'as-predicted',
    );
    assert.equal(
      compareDuration({ predictedSeconds: 20, budgetSeconds: null, measuredSeconds: 26, readOnly: false }),
      'slower',
    );
    assert.equal(
      compareDuration({ predictedSeconds: 20, budgetSeconds: null, measuredSeconds: 14, readOnly: false }),
      'faster',
    );
    assert.equal(
      compareDuration({ predictedSeconds: 0.2, budgetSeconds: null, measuredSeconds: 1.1, readOnly: false }),
      'as-predicted',
    );
  });

  test('a rehearsal fits unless its read-only part alone outlasts the prediction', () => {
    assert.equal(
      compareDuration({ predictedSeconds: 20, budgetSeconds: null, measuredSeconds: 0.3, readOnly: true }),
      'fits',
    );
    assert.equal(
      compareDuration({ predictedSeconds: 2, budgetSeconds: null, measuredSeconds: 9, readOnly: true }),
      'slower',
    );
  });

  test('without a prediction the timeout is the yardstick; an unfinished step is not measured', () => {
    assert.equal(
      compareDuration({ predictedSeconds: null, budgetSeconds: 30, measuredSeconds: 12, readOnly: false }),
      'within-budget',
    );
    assert.equal(
      compareDuration({ predictedSeconds: null, budgetSeconds: 30, measuredSeconds: 31, readOnly: false }),
      'over-budget',
    );
    assert.equal(
      compareDuration({ predictedSeconds: 5, budgetSeconds: null, measuredSeconds: null, readOnly: false }),
      'not-measured',
    );
  });
});

describe('buildDrillReport', () => {
  test('a rehearsal: per host the span of its steps, predicted against measured, failing host first', () => {
    const report = buildDrillReport({
      drill: drill('rehearsal'),
      hosts,
      shutdown: {
        id: 'p1',
        state: 'FAILED',
        startedAt: at(0),
        finishedAt: at(3),
        steps: [
          shutdownStep('h1', 'h1:vm1', [0, 20], [0.1, 0.4]),
          shutdownStep('h1', 'h1:off', [20, 25], [0.5, 0.9]),
          shutdownStep('h2', 'h2:off', [0, 5], [0.1, 2.1], 'FAILED', 'SSH authentication failed'),
        ],
      },
      restart: null,
    });
    assert.deepEqual(
      report.hosts.map((h) => [h.hostName, h.result]),
      [
        ['esx-2', 'failed'],
        ['esx-1', 'ok'],
      ],
    );
    const h1 = report.hosts[1];
    assert.equal(h1?.shutdown.predictedSeconds, 25);
    assert.equal(h1?.shutdown.measuredSeconds, 0.8);
    assert.equal(h1?.shutdown.verdict, 'fits');
    assert.deepEqual(
      h1?.steps.map((s) => [s.key, s.vm, s.predictedSeconds, s.measuredSeconds]),
      [
        ['h1:vm1', 'web', 20, 0.3],
        ['h1:off', null, 5, 0.4],
      ],
    );
    const [failure] = report.hosts[0]?.failures ?? [];
    assert.equal(failure?.key, 'shutdown:h2:off');
    assert.equal(failure?.why, 'SSH authentication failed');
    assert.ok(failure?.cause !== null && failure?.fix !== null, 'a failed step says what to fix');
    assert.deepEqual(report.planReports, { shutdown: '/ui/#/plans/p1/report', restart: null });
    assert.equal(report.hosts[0]?.wake, null);
    assert.deepEqual(report.summary, { hosts: 2, ok: 1, failed: 1, notRun: 0, slower: 0, woken: null });
  });

  test('a live drill: a host counts as woken only when ESXi was verified after its magic packet', () => {
    const shutdown = {
      id: 'p1',
      state: 'SUCCEEDED',
      startedAt: at(0),
      finishedAt: at(10),
      steps: [shutdownStep('h1', 'h1:off', [0, 5], [0, 4]), shutdownStep('h2', 'h2:off', [0, 5], [0, 9])],
    };
    const restart = {
      id: 'p2',
      state: 'FAILED',
      startedAt: at(20),
      finishedAt: at(90),
      steps: [
        restartStep('h1', 'wake', [20, 20.1]),
        restartStep('h1', 'wait-ssh', [20.1, 31]),
        restartStep('h1', 'verify-esxi', [31, 32.5]),
        restartStep('h2', 'wake', [20, 20.1]),
        restartStep('h2', 'wait-ssh', [20.1, 50.1], 'FAILED'),
        restartStep('h2', 'verify-esxi', null, 'CANCELLED'),
      ],
    };
    const report = buildDrillReport({ drill: drill('live'), hosts, shutdown, restart });
    const [h2, h1] = report.hosts;
    assert.deepEqual(h1?.wake, {
      verified: true,
      packetSentAt: at(20.1).toISOString(),
      verifiedAt: at(32.5).toISOString(),
      secondsToVerified: 12.4,
      budgetSeconds: 60,
      why: null,
    });
    assert.equal(h1?.shutdown.verdict, 'as-predicted');
    assert.equal(h2?.wake?.verified, false);
    assert.equal(h2?.wake?.why, 'h2:wait-ssh: no SSH answer within 30 s');
    assert.equal(h2?.shutdown.verdict, 'slower');
    assert.equal(h2?.steps.find((s) => s.action === 'wait-ssh')?.verdict, 'within-budget');
    assert.deepEqual(report.summary, { hosts: 2, ok: 1, failed: 1, notRun: 0, slower: 1, woken: 1 });
  });

  test('a host that was already up got no magic packet: its wake proves nothing', () => {
    const wake = {
      ...restartStep('h1', 'wake', [20, 20.5]),
      output: 'esx-1: already answers over SSH (...): no magic packet sent',
    };
    const report = buildDrillReport({
      drill: drill('live'),
      hosts: [hosts[0] as { id: string; name: string }],
      shutdown: null,
      restart: {
        id: 'p2',
        state: 'SUCCEEDED',
        startedAt: at(20),
        finishedAt: at(30),
        steps: [wake, restartStep('h1', 'wait-ssh', [20.5, 21]), restartStep('h1', 'verify-esxi', [21, 22])],
      },
    });
    assert.equal(report.hosts[0]?.wake?.verified, false);
    assert.match(report.hosts[0]?.wake?.why ?? '', /no magic packet was sent/);
    assert.equal(report.hosts[0]?.result, 'failed');
    assert.equal(report.summary.woken, 0);
  });

  test('a host whose steps were all cancelled (the drill yielded) did not run', () => {
    const report = buildDrillReport({
      drill: { ...drill('live'), state: 'YIELDED' },
      hosts: [hosts[0] as { id: string; name: string }],
      shutdown: {
        id: 'p1',
        state: 'CANCELLED',
        startedAt: null,
        finishedAt: null,
        steps: [shutdownStep('h1', 'h1:off', [0, 5], null, 'CANCELLED', 'superseded by the outage plan')],
      },
      restart: null,
    });
    assert.equal(report.hosts[0]?.result, 'not-run');
    assert.deepEqual(report.hosts[0]?.failures, [
      { key: 'shutdown:h1:off', why: 'cancelled: superseded by the outage plan', cause: null, fix: null },
    ]);
  });
});

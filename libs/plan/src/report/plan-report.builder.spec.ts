import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { buildPlanReport } from './plan-report.builder';
import { at, reportInput, reportPlan, shutdownStep } from './report-fixtures';

const ESX1 = { hostId: '11111111-1111-4111-8111-111111111111', hostName: 'esx1' };
const ESX2 = { hostId: '22222222-2222-4222-8222-222222222222', hostName: 'esx2' };

describe('buildPlanReport: hosts', () => {
  test('per host: predicted span of its steps against the span they really took', () => {
    const report = buildPlanReport(
      reportInput({
        steps: [
          shutdownStep({ ...ESX1, vm: { id: '1', name: 'db' }, predicted: [0, 30], ran: [1, 41.26] }),
          shutdownStep({ ...ESX1, predicted: [30, 50], ran: [41.3, 58] }),
          shutdownStep({ ...ESX2, predicted: [0, 20], ran: [1, 12] }),
        ],
      }),
    );
    assert.deepEqual(
      report.hosts.map((h) => [h.hostName, h.outcome, h.predictedSeconds, h.actualSeconds, h.differenceSeconds]),
      [
        ['esx1', 'succeeded', 50, 57, 7],
        ['esx2', 'succeeded', 20, 11, -9],
      ],
    );
    const db = report.hosts[0]?.steps[0];
    assert.equal(db?.what, 'stop VM db');
    assert.equal(db?.predictedSeconds, 30);
    assert.equal(db?.actualSeconds, 40.3);
    assert.equal(report.hosts[0]?.startedAt, new Date(at(1)).toISOString());
    assert.equal(report.hosts[0]?.finishedAt, new Date(at(58)).toISOString());
  });

  test('a host with a failed step failed; one still running has no duration yet', () => {
    const report = buildPlanReport(
      reportInput({
        plan: reportPlan({ state: 'RUNNING', finishedAt: null }),
        steps: [
          shutdownStep({
            ...ESX1,
            vm: { id: '1', name: 'db' },
            predicted: [0, 30],
            ran: [0, 30],
            state: 'FAILED',
            error: 'x',
          }),
          shutdownStep({ ...ESX1, predicted: [30, 50], ran: [31, 40] }),
          shutdownStep({ ...ESX2, vm: { id: '2', name: 'web' }, predicted: [0, 20], ran: [1, 12] }),
          { ...shutdownStep({ ...ESX2, predicted: [20, 40] }), state: 'RUNNING', startedAt: at(12) },
        ],
      }),
    );
    assert.deepEqual(
      report.hosts.map((h) => [h.hostName, h.outcome, h.actualSeconds]),
      [
        ['esx1', 'failed', 40],
        ['esx2', 'unfinished', null],
      ],
    );
    assert.equal(report.ended, false);
    assert.equal(report.actualSeconds, 200, 'a running plan is measured up to the report');
    assert.deepEqual(report.summary, {
      hosts: 2,
      hostsSucceeded: 0,
      hostsFailed: 1,
      steps: 4,
      stepsFailed: 1,
      stepsCancelled: 0,
    });
  });

  test('cancelled (power came back) and skipped hosts are told apart from successes', () => {
    const report = buildPlanReport(
      reportInput({
        plan: reportPlan({
          state: 'CANCELLED',
          finishedAt: null,
          cancelledAt: at(20),
          cancelledBy: 'system:power back',
        }),
        steps: [
          shutdownStep({ ...ESX1, predicted: [0, 20], state: 'CANCELLED' }),
          shutdownStep({ ...ESX2, predicted: [0, 20], state: 'SKIPPED', ran: [0, 0] }),
        ],
      }),
    );
    assert.deepEqual(
      report.hosts.map((h) => h.outcome),
      ['cancelled', 'skipped'],
    );
    assert.equal(report.finishedAt, new Date(at(20)).toISOString());
    assert.equal(report.actualSeconds, 20);
    assert.equal(report.summary.stepsCancelled, 1);
    assert.deepEqual(report.failures, [], 'a cancelled step is not a failure to fix');
    const last = report.timeline.at(-1);
    assert.equal(last?.text, 'plan cancelled (system:power back)');
    assert.equal(last?.problem, true);
  });

  test('restart plans: no prediction, the host budget instead; gates are timeline entries, not hosts', () => {
    const restart = (action: string, ran: [number, number], state: 'SUCCEEDED' | 'FAILED' = 'SUCCEEDED') => ({
      key: `host:${ESX1.hostId}:${action}`,
      hostId: ESX1.hostId,
      hostName: ESX1.hostName,
      action,
      state,
      attempts: 1,
      startedAt: at(ran[0]),
      finishedAt: at(ran[1]),
      deadlineAt: null,
      error: state === 'FAILED' ? 'esx1 did not come back: no SSH session 300 s after its magic packets' : null,
      detail: { kind: action, hostName: 'esx1', wave: 1, timeoutSeconds: 300, hostTimeoutSeconds: 600 },
    });
    const report = buildPlanReport(
      reportInput({
        plan: reportPlan({ kind: 'RESTART', state: 'FAILED', predictedSeconds: null }),
        steps: [
          {
            key: 'wave:1:gate',
            hostId: null,
            hostName: null,
            action: 'restart-gate',
            state: 'SUCCEEDED',
            attempts: 0,
            startedAt: at(0),
            finishedAt: at(5),
            deadlineAt: null,
            error: null,
            detail: { kind: 'restart-gate', wave: 1, hostCount: 1, upsIds: [] },
          },
          restart('wake', [5, 6]),
          restart('wait-ssh', [6, 306], 'FAILED'),
        ],
      }),
    );
    assert.equal(report.hosts.length, 1);
    const host = report.hosts[0];
    assert.equal(host?.predictedSeconds, null);
    assert.equal(host?.budgetSeconds, 600);
    assert.equal(host?.actualSeconds, 301);
    assert.equal(host?.outcome, 'failed');
    assert.deepEqual(
      report.failures.map((f) => [f.hostName, f.cause, f.readinessCheck]),
      [['esx1', 'HOST_NOT_BACK', 'WOL_PROVEN']],
    );
    assert.ok(
      report.timeline.some((e) => e.kind === 'step' && e.text === 'wave gate succeeded' && e.offsetSeconds === 5),
    );
  });

  test('the recorded prediction source is carried per step; a malformed one is dropped', () => {
    const source = {
      kind: 'measured',
      text: 'measured: 31 s in plan p1',
      planId: 'p1',
      measuredAt: at(-3600),
      samples: 1,
    };
    const report = buildPlanReport(
      reportInput({
        steps: [
          shutdownStep({
            ...ESX1,
            vm: { id: '1', name: 'db' },
            predicted: [0, 31],
            ran: [0, 30],
            predictionSource: source,
          }),
          shutdownStep({ ...ESX1, predicted: [31, 50], ran: [30, 50], predictionSource: { kind: 'guess' } }),
        ],
      }),
    );
    assert.deepEqual(report.hosts[0]?.steps[0]?.predictionSource, source);
    assert.equal(report.hosts[0]?.steps[1]?.predictionSource, null);
  });
});

describe('buildPlanReport: failures and fixes', () => {
  test('each failed step gets its cause and fix; fixes group the hosts that share a cause', () => {
    const auth = (name: string) =>
      `Authentication to ${name}:22 was refused: check the user name and credentials stored for it.`;
    const report = buildPlanReport(
      reportInput({
        plan: reportPlan({ state: 'FAILED' }),
        steps: [
          shutdownStep({ ...ESX2, predicted: [0, 20], ran: [0, 3], state: 'FAILED', error: auth('esx2') }),
          shutdownStep({ ...ESX1, predicted: [0, 20], ran: [0, 2], state: 'FAILED', error: auth('esx1') }),
          shutdownStep({
            ...ESX1,
            vm: { id: '7', name: 'app' },
            predicted: [0, 20],
            ran: [0, 1],
            state: 'FAILED',
            error: 'vm app: still on after power-off',
          }),
        ],
      }),
    );
    assert.deepEqual(
      report.failures.map((f) => [f.hostName, f.what, f.cause]),
      [
        ['esx1', 'stop VM app', 'VM_NOT_STOPPED'],
        ['esx1', 'power off host', 'SSH_AUTH'],
        ['esx2', 'power off host', 'SSH_AUTH'],
      ],
    );
    assert.deepEqual(
      report.fixes.map((f) => [f.cause, f.targets]),
      [
        ['VM_NOT_STOPPED', ['esx1']],
        ['SSH_AUTH', ['esx1', 'esx2']],
      ],
    );
    assert.match(report.fixes[1]?.fix ?? '', /credentials/);
  });

  test('a UPS power-cycle failure is named by its UPS', () => {
    const report = buildPlanReport(
      reportInput({
        steps: [
          {
            key: 'ups:u1:power-cycle',
            hostId: null,
            hostName: null,
            action: 'ups-power-cycle',
            state: 'FAILED',
            attempts: 1,
            startedAt: at(50),
            finishedAt: at(51),
            deadlineAt: null,
            error: 'ups1@nut1: ACCESS-DENIED: access denied',
            detail: { kind: 'ups-power-cycle', upsAddress: 'ups1@nut1' },
          },
        ],
      }),
    );
    assert.deepEqual(report.hosts, []);
    assert.deepEqual(
      report.failures.map((f) => [f.hostName, f.cause]),
      [['ups1@nut1', 'UPS_COMMAND']],
    );
  });
});

describe('buildPlanReport: timeline and battery', () => {
  test('timeline: plan, power events, hosts and failures in time order with offsets from the start', () => {
    const report = buildPlanReport(
      reportInput({
        plan: reportPlan({ state: 'FAILED', finishedAt: at(60) }),
        events: [
          {
            type: 'STATUS_CHANGE',
            upsId: 'u1',
            upsName: 'ups1@nut1',
            status: 'OB LB',
            previousStatus: 'OB',
            at: at(10),
          },
        ],
        steps: [
          shutdownStep({ ...ESX1, predicted: [0, 20], ran: [2, 30] }),
          shutdownStep({ ...ESX2, predicted: [0, 20], ran: [3, 40], state: 'FAILED', error: 'boom' }),
        ],
      }),
    );
    assert.deepEqual(
      report.timeline.map((e) => [e.offsetSeconds, e.kind, e.text, e.problem]),
      [
        [-1, 'plan', 'armed shutdown plan created by power-monitor: UPS ups1 on battery for 60 s', false],
        [0, 'plan', 'plan started', false],
        [2, 'host', 'esx1: first step started', false],
        [3, 'host', 'esx2: first step started', false],
        [10, 'power', 'ups1@nut1: OB → OB LB', false],
        [30, 'host', 'esx1: succeeded after 28 s (predicted 20 s)', false],
        [40, 'host', 'esx2: failed after 37 s (predicted 20 s)', true],
        [40, 'step', 'esx2: power off host failed: boom', true],
        [60, 'plan', 'plan failed', true],
      ],
    );
  });

  test('battery used per UPS from the plan start to its end', () => {
    const report = buildPlanReport(
      reportInput({
        ups: [{ id: 'u1', name: 'ups1@nut1' }],
        samples: [
          { upsId: 'u1', at: at(-30), charge: 100, runtimeSeconds: 1800 },
          { upsId: 'u1', at: at(-5), charge: 95, runtimeSeconds: 1700 },
          { upsId: 'u1', at: at(50), charge: 80, runtimeSeconds: 1400 },
          { upsId: 'u1', at: at(99), charge: 70, runtimeSeconds: 1200 },
          { upsId: 'u1', at: at(150), charge: 60, runtimeSeconds: 1000 },
        ],
      }),
    );
    assert.deepEqual(report.battery, [
      {
        upsId: 'u1',
        upsName: 'ups1@nut1',
        start: { at: new Date(at(-5)).toISOString(), chargePercent: 95, runtimeSeconds: 1700 },
        end: { at: new Date(at(99)).toISOString(), chargePercent: 70, runtimeSeconds: 1200 },
        chargeUsedPercent: 25,
        runtimeUsedSeconds: 500,
        lowestChargePercent: 70,
        samples: 3,
      },
    ]);
  });
});

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { PlanDetailError } from './detail-reader';
import { readRestartPlanDetail, readShutdownPlanDetail, restartPlanDetailOf } from './plan-detail';
import { gateKey, readRestartGateStepDetail, readRestartStepDetail } from './restart-step.detail';
import {
  readHostPowerOffDetail,
  readShutdownStepDetail,
  readVmProgress,
  readVmStopDetail,
  type VmStopStepDetail,
} from './shutdown-step.detail';
import { isExternalStepAction, isWorkerStepAction, requiresSucceededDependencies } from './step-actions';

const vmStop: VmStopStepDetail = {
  kind: 'vm-stop',
  hostName: 'esxi-01',
  vmId: '12',
  vmName: 'db',
  batch: 1,
  ladder: [
    { action: 'guest-shutdown', timeoutSeconds: 120 },
    { action: 'power-off', timeoutSeconds: 30 },
  ],
  startOffsetSeconds: 0,
  deadlineOffsetSeconds: 150,
  predictedStartSeconds: 0,
  predictedEndSeconds: 40,
  why: 'batch 1: reverse of autostart order 2',
};

describe('step details: what the orchestrator writes is what the worker reads', () => {
  test('a shutdown step detail survives its JSON column unchanged', () => {
    assert.deepEqual(readShutdownStepDetail(JSON.parse(JSON.stringify(vmStop))), vmStop);
    assert.deepEqual(readVmStopDetail(JSON.parse(JSON.stringify(vmStop))), vmStop);
    const { vmId: _v, vmName: _n, batch: _b, ...rest } = vmStop;
    const host = {
      ...rest,
      kind: 'host-power-off' as const,
      ladder: [{ action: 'power-off' as const, timeoutSeconds: 180 }],
    };
    assert.deepEqual(readHostPowerOffDetail(JSON.parse(JSON.stringify(host))), host);
  });

  test('a detail of the wrong kind or shape is refused with the field named', () => {
    assert.throws(() => readHostPowerOffDetail(vmStop), /kind is "vm-stop", not "host-power-off"/);
    assert.throws(
      () => readShutdownStepDetail({ ...vmStop, hostName: 3 }),
      (e: unknown) => e instanceof PlanDetailError && e.field === 'hostName',
    );
    assert.throws(
      () => readShutdownStepDetail({ ...vmStop, ladder: [{ action: 'explode', timeoutSeconds: 1 }] }),
      /ladder\[0\]\.action/,
    );
    assert.throws(() => readShutdownStepDetail({ ...vmStop, kind: 'wake' }), /not a shutdown step/);
    assert.throws(() => readShutdownStepDetail(null), /is not an object/);
    assert.throws(() => readVmStopDetail({ ...vmStop, vmId: undefined }), /vmId is not a string/);
  });

  test('VM progress: absent until the ladder started, then read back exactly', () => {
    assert.equal(readVmProgress(null), undefined);
    assert.equal(readVmProgress({ journal: {} }), undefined);
    assert.deepEqual(readVmProgress({ rungIndex: 1, rungStartedAt: 5, sent: true }), {
      rungIndex: 1,
      rungStartedAt: 5,
      sent: true,
    });
    assert.throws(() => readVmProgress({ rungIndex: 'x' }), /rungIndex is not a number/);
  });

  test('restart step and gate details', () => {
    const wake = { kind: 'wake', hostName: 'esxi-02', wave: 1, timeoutSeconds: 5, hostTimeoutSeconds: 600 };
    assert.deepEqual(readRestartStepDetail(wake), wake);
    const vms = { ...wake, kind: 'power-on-vms', vmIds: ['3', '1'] };
    assert.deepEqual(readRestartStepDetail(vms).vmIds, ['3', '1']);
    assert.throws(() => readRestartStepDetail({ ...wake, kind: 'vm-stop' }), /not a restart host step/);
    const gate = { kind: 'restart-gate', wave: 2, hostCount: 4, upsIds: ['u1'] };
    assert.deepEqual(readRestartGateStepDetail(gate), gate);
    assert.throws(() => readRestartGateStepDetail(wake), /is not "restart-gate"/);
    assert.equal(gateKey(3), 'wave:3:gate');
  });

  test('plan details by kind', () => {
    assert.equal(restartPlanDetailOf({ kind: 'shutdown' }), undefined);
    assert.equal(readRestartPlanDetail({ kind: 'restart', hostIds: [] }).kind, 'restart');
    assert.throws(() => readRestartPlanDetail({ kind: 'shutdown' }), /is not "restart"/);
    assert.equal(readShutdownPlanDetail({ hostIds: [], upsIds: [] }).kind, 'shutdown', 'older plans had no kind');
    assert.throws(() => readShutdownPlanDetail({ kind: 'restart' }), /is not "shutdown"/);
  });

  test('actions: who runs them and what they wait for', () => {
    assert.ok(isWorkerStepAction('host-power-off') && isWorkerStepAction('wake'));
    assert.ok(!isWorkerStepAction('restart-gate') && !isWorkerStepAction('deploy-install'));
    assert.ok(
      isExternalStepAction('restart-gate') && !isExternalStepAction('wake') && !isExternalStepAction(undefined),
    );
    assert.deepEqual(
      ['wake', 'wait-ssh', 'verify-esxi', 'power-on-vms', 'vm-stop', 'host-power-off'].filter(
        requiresSucceededDependencies,
      ),
      ['wait-ssh', 'verify-esxi', 'power-on-vms'],
    );
  });
});

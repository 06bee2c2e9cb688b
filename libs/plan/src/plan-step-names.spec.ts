import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { planBatteryRuntimeSeconds, planStepNames } from './plan-step-names';

describe('plan step names', () => {
  test('a VM step is named by its host (current name first) and its VM', () => {
    const detail = { kind: 'vm-stop', hostName: 'esx-old', vmId: '12', vmName: 'db-01' };
    assert.deepEqual(planStepNames({ detail, host: { name: 'esx-01' } }), {
      hostName: 'esx-01',
      vmName: 'db-01',
      wave: null,
    });
    assert.equal(planStepNames({ detail, host: null }).hostName, 'esx-old', 'host deleted: the recorded name');
  });

  test('a VM without a recorded name is named by its vmid; a restart step carries its wave', () => {
    assert.equal(planStepNames({ detail: { vmId: '7', vmName: null }, host: null }).vmName, 'vmid 7');
    assert.deepEqual(planStepNames({ detail: { kind: 'wake', hostName: 'esx-02', wave: 2 }, host: null }), {
      hostName: 'esx-02',
      vmName: null,
      wave: 2,
    });
  });

  test('a step without detail (a gate, an old row) has no names', () => {
    assert.deepEqual(planStepNames({ detail: null, host: null }), { hostName: null, vmName: null, wave: null });
  });

  test('the battery runtime comes from the built shutdown plan only', () => {
    assert.equal(planBatteryRuntimeSeconds({ kind: 'shutdown', built: { batteryRuntimeSeconds: 840 } }), 840);
    assert.equal(planBatteryRuntimeSeconds({ kind: 'shutdown', built: {} }), null);
    assert.equal(planBatteryRuntimeSeconds({ kind: 'restart' }), null);
    assert.equal(planBatteryRuntimeSeconds(null), null);
  });
});

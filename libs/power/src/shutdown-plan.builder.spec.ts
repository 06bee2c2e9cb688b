import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { at, feeds, history, host, vm } from '../test/power-fixtures';
import { resolveShutdownPolicy } from './shutdown-policy';
import { type ShutdownPlanInput, buildShutdownPlan } from './shutdown-plan.builder';
import { orderVmShutdown } from './vm-shutdown-order';

// guest 120 s → power-off 30 s; suspend 120 s → power-off 30 s; host poweroff 180 s.
const policy = resolveShutdownPolicy({ id: 'default' });
const base = (over: Partial<ShutdownPlanInput>): ShutdownPlanInput => ({
  planKey: 'outage-1',
  hosts: [],
  feeds: [],
  policies: [policy],
  histories: [],
  now: at(0),
  ...over,
});

describe('orderVmShutdown', () => {
  it('VMs outside autostart first, then reverse autostart order, equal orders in one batch', () => {
    const batches = orderVmShutdown(
      [
        vm('db', { autostartOrder: 1 }),
        vm('app', { autostartOrder: 2 }),
        vm('web2', { autostartOrder: 3 }),
        vm('web1', { autostartOrder: 3 }),
        vm('scratch'),
      ],
      policy.vm,
    );
    assert.deepEqual(
      batches.map((b) => [b.batch, b.entries.map((e) => e.vm.id)]),
      [
        [0, ['scratch']],
        [1, ['web1', 'web2']],
        [2, ['app']],
        [3, ['db']],
      ],
    );
  });

  it('an override batch wins over autostart order', () => {
    const batches = orderVmShutdown(
      [vm('db', { autostartOrder: 1, override: { shutdownBatch: 0 } }), vm('app', { autostartOrder: 2 })],
      policy.vm,
    );
    assert.deepEqual(
      batches.map((b) => [b.batch, b.entries.map((e) => e.vm.id)]),
      [
        [0, ['db']],
        [1, ['app']],
      ],
    );
  });

  it('skips VMs that are off or suspended', () => {
    const batches = orderVmShutdown(
      [vm('off', { powerState: 'off' }), vm('sus', { powerState: 'suspended' }), vm('on')],
      policy.vm,
    );
    assert.deepEqual(
      batches.flatMap((b) => b.entries.map((e) => e.vm.id)),
      ['on'],
    );
  });

  it('Tools running: guest shutdown, then power off after the timeout', () => {
    const [entry] = orderVmShutdown([vm('a')], policy.vm)[0]?.entries ?? [];
    assert.deepEqual(entry?.ladder, [
      { action: 'guest-shutdown', timeoutSeconds: 120 },
      { action: 'power-off', timeoutSeconds: 30 },
    ]);
    assert.equal(entry?.worstCaseSeconds, 150);
  });

  it('no Tools: suspend (policy default), then power off', () => {
    const [entry] = orderVmShutdown([vm('a', { toolsState: 'not-installed' })], policy.vm)[0]?.entries ?? [];
    assert.deepEqual(
      entry?.ladder.map((r) => r.action),
      ['suspend', 'power-off'],
    );
  });

  it('no Tools with a power-off policy: power off only', () => {
    const p = resolveShutdownPolicy({ id: 'p', vm: { withoutTools: 'power-off' } });
    const [entry] = orderVmShutdown([vm('a', { toolsState: 'not-running' })], p.vm)[0]?.entries ?? [];
    assert.deepEqual(entry?.ladder, [{ action: 'power-off', timeoutSeconds: 30 }]);
  });

  it('guest shutdown escalating to suspend when the policy says so', () => {
    const p = resolveShutdownPolicy({ id: 'p', vm: { onTimeout: 'suspend' } });
    const [entry] = orderVmShutdown([vm('a')], p.vm)[0]?.entries ?? [];
    assert.deepEqual(
      entry?.ladder.map((r) => r.action),
      ['guest-shutdown', 'suspend', 'power-off'],
    );
  });

  it('per-VM override of action and timeout', () => {
    const [entry] =
      orderVmShutdown([vm('a', { override: { action: 'power-off', timeoutSeconds: 5 } })], policy.vm)[0]?.entries ?? [];
    assert.deepEqual(entry?.ladder, [{ action: 'power-off', timeoutSeconds: 5 }]);
    assert.match(entry?.why ?? '', /override/);
  });
});

describe('buildShutdownPlan', () => {
  it('a host whose VM list is unknown: its host step says so and why, so the step reads the VMs first', () => {
    const plan = buildShutdownPlan(
      base({ hosts: [host('a', { vmsUnknown: 'VmListParseError: line 3' }), host('b', { vms: [vm('db')] })] }),
    );
    const powerOff = (id: string) => plan.steps.find((s) => s.kind === 'host-power-off' && s.hostId === id);
    assert.equal(powerOff('a')?.vmsUnknown, 'VmListParseError: line 3');
    assert.match(powerOff('a')?.why ?? '', /VM list could not be read \(VmListParseError: line 3\).*reads it again/);
    assert.equal(powerOff('b')?.vmsUnknown, undefined);
  });

  const hosts = [
    host('h2', { shutdownStage: 1, vms: [vm('v3')] }),
    host('h1', {
      shutdownStage: 0,
      vms: [vm('v1', { autostartOrder: 1 }), vm('v2', { autostartOrder: 2, toolsState: 'not-running' })],
    }),
    host('h0', { shutdownStage: 0, powerState: 'off' }),
  ];

  it('stages lower first, VMs before their host, reverse autostart inside a host', () => {
    const plan = buildShutdownPlan(base({ hosts }));
    assert.deepEqual(
      plan.steps.map((s) => s.key),
      ['host:h1:vm:v2:stop', 'host:h1:vm:v1:stop', 'host:h1:power-off', 'host:h2:vm:v3:stop', 'host:h2:power-off'],
    );
    assert.deepEqual(plan.steps.find((s) => s.key === 'host:h1:power-off')?.dependsOn, ['host:h1:vm:v1:stop']);
    assert.deepEqual(plan.steps.find((s) => s.key === 'host:h1:vm:v1:stop')?.dependsOn, ['host:h1:vm:v2:stop']);
    assert.deepEqual(plan.skipped, [{ hostId: 'h0', reason: 'h0 is already powered off' }]);
    assert.equal(plan.powerOffMethod, 'esxi-poweroff');
  });

  it('worst-case deadlines: batches in sequence, stage 1 starts at stage 0 deadline', () => {
    const plan = buildShutdownPlan(base({ hosts }));
    const step = (key: string) => plan.steps.find((s) => s.key === key);
    // v2 (no Tools): suspend 120 + power-off 30 = 150; v1: guest 120 + off 30 = 150; host 180.
    assert.equal(step('host:h1:vm:v2:stop')?.deadlineOffsetSeconds, 150);
    assert.equal(step('host:h1:vm:v1:stop')?.startOffsetSeconds, 150);
    assert.equal(step('host:h1:vm:v1:stop')?.deadlineOffsetSeconds, 300);
    assert.equal(step('host:h1:power-off')?.deadlineOffsetSeconds, 480);
    assert.equal(step('host:h1:power-off')?.deadlineAt, at(480));
    assert.equal(step('host:h2:vm:v3:stop')?.startOffsetSeconds, 480);
    assert.equal(plan.worstCaseDurationSeconds, 480 + 150 + 180);
    assert.deepEqual(
      plan.stages.map((s) => [s.stage, s.startOffsetSeconds, s.deadlineOffsetSeconds]),
      [
        [0, 0, 480],
        [1, 480, 810],
      ],
    );
    assert.equal(plan.pointOfNoReturnAt, at(60));
  });

  it('predicted duration uses measured durations where known', () => {
    const measured = [
      host('h1', {
        vms: [vm('v1', { measuredShutdownSeconds: 20 }), vm('v2', { measuredShutdownSeconds: 45 })],
        measuredPowerOffSeconds: 40,
      }),
    ];
    const plan = buildShutdownPlan(base({ hosts: measured }));
    // v1 and v2 share batch 0 (no autostart order): max(20, 45) + 40.
    assert.equal(plan.predictedDurationSeconds, 85);
    assert.equal(plan.worstCaseDurationSeconds, 150 + 180);
  });

  it('warns with numbers when the plan would outlast the battery', () => {
    const plan = buildShutdownPlan(
      base({
        hosts: [host('h1', { vms: [vm('v1')] })],
        feeds: feeds('h1', { A: 1 }),
        histories: [history('A', [[0, 'OB', { runtime: 200 }]])],
        now: at(10),
      }),
    );
    const warning = plan.warnings.find((w) => w.code === 'PLAN_OUTLASTS_BATTERY');
    assert.ok(warning, JSON.stringify(plan.warnings));
    assert.equal(warning.values.predictedEndSeconds, 330);
    assert.equal(warning.values.batteryRuntimeSeconds, 200);
    assert.match(warning.message, /330 s.*A reports 200 s.*160 s short/);
    assert.equal(plan.batteryRuntimeSeconds, 200);
  });

  it('warns only about the worst case when the prediction fits', () => {
    const plan = buildShutdownPlan(
      base({
        hosts: [host('h1', { vms: [vm('v1', { measuredShutdownSeconds: 30 })], measuredPowerOffSeconds: 60 })],
        feeds: feeds('h1', { A: 1 }),
        histories: [history('A', [[0, 'OL', { runtime: 300 }]])],
      }),
    );
    assert.deepEqual(
      plan.warnings.map((w) => w.code),
      ['WORST_CASE_OUTLASTS_BATTERY'],
    );
    assert.equal(plan.hostChecks[0]?.marginSeconds, 300 - 90 - 30);
  });

  it('no warning when the battery lasts, redundancy taken into account', () => {
    // minSupplies 1 on A (120 s) and B (900 s): the host lives until B dies.
    const plan = buildShutdownPlan(
      base({
        hosts: [host('h1', { vms: [vm('v1')] })],
        feeds: feeds('h1', { A: 1, B: 1 }),
        histories: [history('A', [[0, 'OB', { runtime: 120 }]]), history('B', [[0, 'OB', { runtime: 900 }]])],
      }),
    );
    assert.deepEqual(plan.warnings, []);
    assert.equal(plan.hostChecks[0]?.batteryRuntimeSeconds, 900);
    assert.equal(plan.hostChecks[0]?.limitingUpsId, 'B');
  });

  it('minSupplies 2 on the same UPSes: the first UPS to die ends the host', () => {
    const plan = buildShutdownPlan(
      base({
        hosts: [host('h1', { minSupplies: 2, vms: [vm('v1')] })],
        feeds: feeds('h1', { A: 1, B: 1 }),
        histories: [history('A', [[0, 'OB', { runtime: 120 }]]), history('B', [[0, 'OB', { runtime: 900 }]])],
      }),
    );
    assert.equal(plan.hostChecks[0]?.batteryRuntimeSeconds, 120);
    assert.deepEqual(
      plan.warnings.map((w) => w.code),
      ['PLAN_OUTLASTS_BATTERY'],
    );
  });

  it('warns when a UPS reports no runtime', () => {
    const plan = buildShutdownPlan(
      base({ hosts: [host('h1')], feeds: feeds('h1', { A: 1 }), histories: [history('A', [[0, 'OB']])] }),
    );
    assert.deepEqual(
      plan.warnings.map((w) => w.code),
      ['RUNTIME_UNKNOWN'],
    );
  });

  it('is deterministic whatever the input order', () => {
    const a = buildShutdownPlan(base({ hosts }));
    const b = buildShutdownPlan(
      base({ hosts: [...hosts].reverse().map((h) => ({ ...h, vms: [...h.vms].reverse() })) }),
    );
    assert.deepEqual(a, b);
  });
});

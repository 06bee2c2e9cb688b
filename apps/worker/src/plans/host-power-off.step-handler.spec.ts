import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { type HostPowerOffStepDetail } from '@nutfleet/plan';

import { HostPowerOffStepHandler, type PowerOffTiming } from './host-power-off.step-handler';
import { claimedStep, FakeEsxiHost, FakeHostSessions, FakeStepStore } from './testing/fake-plan-host';

/** The real rules on a compressed clock: a "minute" of same boot is 300 ms here. */
const TIMING: PowerOffTiming = {
  verifyPollMs: 10,
  probeTimeoutMs: 50,
  sameBootWindowMs: 300,
  settleMs: 20,
  unknownVmsGuestMs: 100,
  unknownVmsPollMs: 10,
};

const detail: HostPowerOffStepDetail = {
  kind: 'host-power-off',
  hostName: 'esxi-01',
  ladder: [{ action: 'power-off', timeoutSeconds: 0.2 }],
  startOffsetSeconds: 0,
  deadlineOffsetSeconds: 1,
  predictedStartSeconds: 0,
  predictedEndSeconds: 1,
  why: 'test',
};

function setup(): { host: FakeEsxiHost; store: FakeStepStore; handler: HostPowerOffStepHandler } {
  const host = new FakeEsxiHost();
  const store = new FakeStepStore();
  return { host, store, handler: new HostPowerOffStepHandler(new FakeHostSessions(host), store, TIMING) };
}

const step = (commandSentAt: Date | null = null) =>
  claimedStep({ action: 'host-power-off', detail, commandSentAt, deadlineAt: new Date(Date.now() + 300) });

describe('host power-off step: poweroff at most once per plan', () => {
  test('claims before sending, sends poweroff once, and succeeds when the host stops answering', async () => {
    const { host, store, handler } = setup();
    const outcome = await handler.run(step());
    assert.equal(outcome.state, 'SUCCEEDED');
    assert.match(outcome.output, /poweroff sent .*no longer answers/);
    assert.equal(host.count('poweroff'), 1);
    assert.notEqual(store.commandSentAt, null, 'the claim stays: the command may have reached the host');
  });

  test('another attempt already holds the claim: verify only, never send', async () => {
    const { host, store, handler } = setup();
    // The other attempt claimed a moment ago and its poweroff is taking the host down.
    store.commandSentAt = new Date(Date.now() - 10);
    setTimeout(() => (host.up = false), 30);
    const outcome = await handler.run(step());
    assert.equal(outcome.state, 'SUCCEEDED');
    assert.match(outcome.output, /already sent by another attempt/);
    assert.equal(host.count('poweroff'), 0);
  });

  test('a host that cannot be reached is never marked sent: the error goes up for a retry', async () => {
    const { host, store, handler } = setup();
    host.up = false;
    await assert.rejects(handler.run(step()), /ECONNREFUSED/);
    assert.equal(store.commandSentAt, null);
    assert.equal(host.count('poweroff'), 0);
  });

  test('a resumed step still answering within the same boot resends once; a second resume does not', async () => {
    const { host, store, handler } = setup();
    const claimed = new Date();
    store.commandSentAt = claimed;
    host.poweroff = 'ignored';
    const first = await handler.run(step(claimed));
    assert.equal(host.count('poweroff'), 1, 'the lost command is sent again, once');
    assert.match(first.output, /still answered .* same boot: resent/);
    assert.equal(first.state, 'FAILED', 'the host kept answering to its deadline');
    // A parallel resume that read the old claim loses the compare-and-set.
    await handler.run(step(claimed));
    assert.equal(host.count('poweroff'), 1);
  });

  test('a claim older than the same-boot window is only verified: the host may have booted since', async () => {
    const { host, store, handler } = setup();
    const old = new Date(Date.now() - TIMING.sameBootWindowMs - 50);
    store.commandSentAt = old;
    host.poweroff = 'ignored';
    const outcome = await handler.run(step(old));
    assert.equal(host.count('poweroff'), 0);
    assert.equal(outcome.state, 'FAILED');
    assert.match(outcome.error ?? '', /still answers SSH at its deadline .* check the host's console/);
  });
});

describe('host power-off step: a host planned without its VMs (its VM list was unreadable)', () => {
  const unknown: HostPowerOffStepDetail = { ...detail, vmsUnknown: 'VmListParseError: line 3' };
  const unknownStep = () =>
    claimedStep({ action: 'host-power-off', detail: unknown, deadlineAt: new Date(Date.now() + 1000) });

  test('reads the VM list again and stops the running VMs before poweroff: guests first, no Tools powered off', async () => {
    const { host, store, handler } = setup();
    host.vms.set(1, { power: 'on', tools: true, guestStopsAfterMs: 20 });
    host.vms.set(2, { power: 'on', tools: false });
    host.vms.set(3, { power: 'off', tools: true });
    host.vms.set(4, { power: 'on', tools: true });
    const outcome = await handler.run(unknownStep());
    assert.equal(outcome.state, 'SUCCEEDED');
    assert.equal(host.count('vim-cmd', 'vmsvc/getallvms'), 1);
    assert.equal(host.count('vim-cmd', 'vmsvc/power.shutdown', '1'), 1);
    assert.equal(host.count('vim-cmd', 'vmsvc/power.off', '2'), 1, 'no Tools: powered off');
    assert.equal(host.count('vim-cmd', 'vmsvc/power.shutdown', '3'), 0, 'a VM already off is left alone');
    assert.equal(host.count('vim-cmd', 'vmsvc/power.off', '4'), 1, 'a guest that did not stop in time is powered off');
    const poweroffAt = host.commands.findIndex((argv) => argv[0] === 'poweroff');
    const lastVmCommand = host.commands.findLastIndex((argv) => argv[1] === 'vmsvc/power.off');
    assert.ok(poweroffAt > lastVmCommand, 'the VMs are stopped before the host poweroff');
    assert.match(outcome.output, /4 VM\(s\), 3 running.*vm-1: guest shut down.*poweroff sent/);
    assert.deepEqual(store.warnings, []);
  });

  test('a list still unreadable: a warning naming the host is recorded, and the poweroff goes ahead', async () => {
    const { host, store, handler } = setup();
    host.vmListGarbage = 'Vmid Name File\n1 broken row without a vmx\n';
    const outcome = await handler.run(unknownStep());
    assert.equal(outcome.state, 'SUCCEEDED');
    assert.equal(host.count('poweroff'), 1);
    assert.equal(store.warnings.length, 1);
    assert.equal(store.warnings[0]?.code, 'VMS_UNKNOWN');
    assert.equal(store.warnings[0]?.hostName, 'esxi-01');
    assert.match(store.warnings[0]?.message ?? '', /^esxi-01: .*nor now.*autostop/);
    assert.match(outcome.output, /WARNING esxi-01/);
  });

  test('a host whose VMs were known gets no extra read', async () => {
    const { host, handler } = setup();
    await handler.run(step());
    assert.equal(host.count('vim-cmd', 'vmsvc/getallvms'), 0);
  });
});

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { type VmStopStepDetail } from '@nutfleet/plan';
import { type VmActionRung } from '@nutfleet/power';

import { LeadCommandsGate } from './lead-commands.gate';
import { claimedStep, type FakeVm, FakeEsxiHost, FakeHostSessions, FakeStepStore } from './testing/fake-plan-host';
import { VmStopStepHandler } from './vm-stop.step-handler';

const detail = (ladder: VmActionRung[]): VmStopStepDetail => ({
  kind: 'vm-stop',
  hostName: 'esxi-01',
  vmId: '7',
  vmName: 'db',
  batch: 0,
  ladder,
  startOffsetSeconds: 0,
  deadlineOffsetSeconds: 10,
  predictedStartSeconds: 0,
  predictedEndSeconds: 5,
  why: 'test',
});

function setup(vm: FakeVm): { host: FakeEsxiHost; store: FakeStepStore; handler: VmStopStepHandler } {
  const host = new FakeEsxiHost();
  host.vms.set(7, vm);
  const store = new FakeStepStore();
  return { host, store, handler: new VmStopStepHandler(new FakeHostSessions(host), store, new LeadCommandsGate()) };
}

const LADDER: VmActionRung[] = [
  { action: 'guest-shutdown', timeoutSeconds: 0.4 },
  { action: 'power-off', timeoutSeconds: 0.4 },
];

describe('VM stop step: the escalation ladder', () => {
  test('a guest shutdown that completes ends the ladder; progress is saved before the command leaves', async () => {
    const { host, store, handler } = setup({ power: 'on', tools: true, guestStopsAfterMs: 50 });
    const outcome = await handler.run(claimedStep({ action: 'vm-stop', detail: detail(LADDER) }));
    assert.equal(outcome.state, 'SUCCEEDED');
    assert.match(outcome.output, /guest-shutdown: VM stopped/);
    assert.equal(host.count('vim-cmd', 'vmsvc/power.shutdown'), 1);
    assert.equal(host.count('vim-cmd', 'vmsvc/power.off'), 0);
    assert.deepEqual(
      { ...(store.progressWrites[0] as object), rungStartedAt: 0 },
      {
        rungIndex: 0,
        rungStartedAt: 0,
        sent: true,
      },
    );
  });

  test('the mark is made right before the command leaves, and never for a host that cannot be reached', async () => {
    const { host, store, handler } = setup({ power: 'on', tools: true, guestStopsAfterMs: 20 });
    const commandsAtMark: number[] = [];
    const save = store.saveProgress.bind(store);
    store.saveProgress = (stepId, progress) => {
      commandsAtMark.push(host.count('vim-cmd', 'vmsvc/power.shutdown'));
      return save(stepId, progress);
    };
    host.up = false;
    await assert.rejects(handler.run(claimedStep({ action: 'vm-stop', detail: detail(LADDER) })), /ECONNREFUSED/);
    assert.deepEqual(store.progressWrites, [], 'an unreachable host: no mark, nothing to undo');
    host.up = true;
    const outcome = await handler.run(claimedStep({ action: 'vm-stop', detail: detail(LADDER) }));
    assert.equal(outcome.state, 'SUCCEEDED');
    assert.deepEqual(commandsAtMark, [0], 'marked once, before the shutdown reached the host');
  });

  test('a guest that does not stop in time is powered off (the next rung)', async () => {
    const { host, handler } = setup({ power: 'on', tools: true });
    const outcome = await handler.run(claimedStep({ action: 'vm-stop', detail: detail(LADDER) }));
    assert.equal(outcome.state, 'SUCCEEDED');
    assert.match(outcome.output, /not stopped within 0.4 s; escalating to power-off; power-off: VM stopped/);
    assert.equal(host.count('vim-cmd', 'vmsvc/power.off'), 1);
  });

  test('no Tools: the guest shutdown is refused and the ladder escalates at once', async () => {
    const { host, handler } = setup({ power: 'on', tools: false });
    const started = Date.now();
    const outcome = await handler.run(claimedStep({ action: 'vm-stop', detail: detail(LADDER) }));
    assert.equal(outcome.state, 'SUCCEEDED');
    assert.match(outcome.output, /guest-shutdown refused: .*VMware Tools/);
    assert.ok(Date.now() - started < 400, 'no wait on a refused rung');
    assert.equal(host.count('vim-cmd', 'vmsvc/power.off'), 1);
  });

  test('a VM already off is skipped without a power-state read first', async () => {
    const { host, handler } = setup({ power: 'off', tools: true });
    const outcome = await handler.run(claimedStep({ action: 'vm-stop', detail: detail(LADDER) }));
    assert.equal(outcome.state, 'SKIPPED');
    assert.deepEqual(host.commands[0]?.slice(0, 2), ['vim-cmd', 'vmsvc/power.shutdown']);
  });

  test('a job resumed after a crash waits out the rung it had sent instead of sending it again', async () => {
    const { host, handler } = setup({ power: 'on', tools: true, guestStopsAfterMs: 100 });
    host.vms.get(7)!.power = 'on';
    // The crashed attempt sent the guest shutdown 100 ms ago; the guest is stopping.
    setTimeout(() => (host.vms.get(7)!.power = 'off'), 100);
    const outcome = await handler.run(
      claimedStep({
        action: 'vm-stop',
        detail: detail(LADDER),
        progress: { rungIndex: 0, rungStartedAt: Date.now() - 100, sent: true },
      }),
    );
    assert.equal(outcome.state, 'SUCCEEDED');
    assert.match(outcome.output, /resumed guest-shutdown sent before a restart/);
    assert.equal(host.count('vim-cmd', 'vmsvc/power.shutdown'), 0);
  });

  test('a ladder that never stops the VM fails the step with the reason', async () => {
    const { handler, host } = setup({ power: 'on', tools: true });
    host.exec = async (argv) => ({
      command: argv.join(' '),
      code: 0,
      stdout: argv[1] === 'vmsvc/power.getstate' ? 'Retrieved runtime info\nPowered on\n' : '',
      stderr: '',
    });
    const outcome = await handler.run(claimedStep({ action: 'vm-stop', detail: detail(LADDER) }));
    assert.equal(outcome.state, 'FAILED');
    assert.match(outcome.error ?? '', /VM db \(7\) on esxi-01: .*power-off did not stop the VM within 0.4 s/);
  });

  test('tells its carrier once the guest shutdown is out, long before the VM has stopped', async () => {
    const { host, handler } = setup({ power: 'on', tools: true, guestStopsAfterMs: 150 });
    let commandsWhenSent: string[][] | undefined;
    const outcome = await handler.run(claimedStep({ action: 'vm-stop', detail: detail(LADDER) }), {
      commandSent: () => (commandsWhenSent ??= host.commands.map((argv) => [...argv])),
    });
    assert.equal(outcome.state, 'SUCCEEDED');
    assert.deepEqual(
      commandsWhenSent?.map((argv) => argv.join(' ')),
      ['vim-cmd vmsvc/power.shutdown 7'],
      'told right after the first command, before any power-state poll',
    );
  });
});

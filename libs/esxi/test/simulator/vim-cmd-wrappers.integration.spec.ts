import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { UnexpectedOutputError, vim, VimFaultError, VmListParseError } from '../../src';
import { type ClientAndFleet, ESXI_VERSIONS, startClientAndFleet } from './support/simulated-fleet';

const VMS = [
  {
    name: 'nutsrv',
    guestOs: 'debian11_64Guest',
    annotation: 'NUT server\nkeep it last to stop',
    autostart: { startOrder: 1, startAction: 'powerOn' as const, stopAction: 'guestShutdown' as const, stopDelay: 30 },
  },
  {
    name: 'app 01 [prod]',
    guestOs: 'ubuntu64Guest',
    autostart: { startOrder: 2, startAction: 'powerOn' as const, waitForHeartbeat: 'yes' as const },
  },
  { name: 'legacy', guestOs: 'otherGuest64', tools: false },
  { name: 'spare', power: 'off' as const },
];

for (const version of ESXI_VERSIONS) {
  describe(`vim-cmd wrappers against a simulated ESXi ${version}`, { timeout: 30_000 }, () => {
    let sim: ClientAndFleet;
    before(async () => {
      sim = await startClientAndFleet({
        hosts: 1,
        defaults: { version, vms: VMS, autostartDefaults: { stopAction: 'guestShutdown', stopDelay: 90 } },
      });
    });
    after(() => sim.stop());

    it('vmsvc/getallvms with a multi-line annotation and brackets in a name', { timeout: 10_000 }, async () => {
      const { vms, invalidVmIds } = await vim.getAllVms(sim.host(0));
      assert.deepEqual(invalidVmIds, []);
      assert.deepEqual(
        vms.map((vm) => [vm.id, vm.name, vm.file, vm.guestOs, vm.version]),
        [
          [1, 'nutsrv', '[datastore1] nutsrv/nutsrv.vmx', 'debian11_64Guest', 'vmx-19'],
          [2, 'app 01 [prod]', '[datastore1] app 01 [prod]/app 01 [prod].vmx', 'ubuntu64Guest', 'vmx-19'],
          [3, 'legacy', '[datastore1] legacy/legacy.vmx', 'otherGuest64', 'vmx-19'],
          [4, 'spare', '[datastore1] spare/spare.vmx', 'otherGuest64', 'vmx-19'],
        ],
      );
      assert.equal(vms[0]?.annotation, 'NUT server\nkeep it last to stop');
    });

    it('hostsvc/autostartmanager get_autostartseq and get_defaults', { timeout: 10_000 }, async () => {
      const seq = await vim.autostartSequence(sim.host(0));
      assert.deepEqual(seq, [
        {
          vmId: 1,
          startOrder: 1,
          startDelay: -1,
          startAction: 'powerOn',
          stopDelay: 30,
          stopAction: 'guestShutdown',
          waitForHeartbeat: 'systemDefault',
        },
        {
          vmId: 2,
          startOrder: 2,
          startDelay: -1,
          startAction: 'powerOn',
          stopDelay: -1,
          stopAction: 'systemDefault',
          waitForHeartbeat: 'yes',
        },
      ]);
      assert.deepEqual(await vim.autostartDefaults(sim.host(0)), {
        enabled: true,
        startDelay: 120,
        stopDelay: 90,
        waitForHeartbeat: false,
        stopAction: 'guestShutdown',
      });
    });

    it('power.getstate / shutdown / off / on / suspend, and the faults ESXi answers', { timeout: 10_000 }, async () => {
      const host = sim.host(0);
      const vmState = (id: number): string | undefined => sim.fleet.host(0).state.vm(id)?.power;
      assert.equal(await vim.powerGetState(host, 1), 'poweredOn');
      assert.equal(await vim.powerGetState(host, 4), 'poweredOff');

      await vim.powerShutdown(host, 1);
      const deadline = Date.now() + 5_000;
      while ((await vim.powerGetState(host, 1)) !== 'poweredOff') {
        assert.ok(Date.now() < deadline, 'guest shutdown never finished');
        await new Promise((r) => setTimeout(r, 50));
      }
      await assert.rejects(vim.powerShutdown(host, 3), (err) => {
        assert.ok(err instanceof VimFaultError, String(err));
        assert.equal(err.fault, 'vim.fault.ToolsUnavailable');
        assert.equal(err.host, host.label);
        assert.equal(err.command, "'vim-cmd' 'vmsvc/power.shutdown' '3'");
        return true;
      });
      await vim.powerOff(host, 3);
      assert.equal(vmState(3), 'off');
      await assert.rejects(vim.powerOff(host, 3), /InvalidPowerState/);
      await vim.powerSuspend(host, 2);
      assert.equal(await vim.powerGetState(host, 2), 'suspended');
      await vim.powerOn(host, 4);
      assert.equal(await vim.powerGetState(host, 4), 'poweredOn');
      await assert.rejects(vim.powerGetState(host, 99), (err) => {
        assert.ok(err instanceof VimFaultError);
        assert.equal(err.fault, 'vmodl.fault.ManagedObjectNotFound');
        return true;
      });
    });
  });
}

// Names a VM can take through the API that vim-cmd prints as they are: line breaks included.
const HOSTILE_VMS = [
  { name: 'web\nfront', annotation: 'two-line name' },
  { name: `it's "quoted" $(poweroff)` },
  { name: 'ünïcødé ✓ 日本語 🔋' },
  { name: 'db\n\nreplica' },
  { name: 'last' },
];

describe('vmsvc/getallvms with hostile VM names (simulated ESXi 8.0)', { timeout: 30_000 }, () => {
  let sim: ClientAndFleet;
  before(async () => {
    sim = await startClientAndFleet({ hosts: 1, defaults: { version: '8.0', vms: HOSTILE_VMS } });
  });
  after(() => sim.stop());

  it('every VM, each name as it is', { timeout: 10_000 }, async () => {
    const { vms } = await vim.getAllVms(sim.host(0));
    assert.deepEqual(
      vms.map((vm) => [vm.id, vm.name, vm.file]),
      [
        [1, 'web\nfront', '[datastore1] web_front/web_front.vmx'],
        [2, `it's "quoted" $(poweroff)`, `[datastore1] it's "quoted" $(poweroff)/it's "quoted" $(poweroff).vmx`],
        [3, 'ünïcødé ✓ 日本語 🔋', '[datastore1] ünïcødé ✓ 日本語 🔋/ünïcødé ✓ 日本語 🔋.vmx'],
        [4, 'db\n\nreplica', '[datastore1] db__replica/db__replica.vmx'],
        [5, 'last', '[datastore1] last/last.vmx'],
      ],
    );
    assert.equal(vms[0]?.annotation, 'two-line name');
  });

  it('a name whose second line starts like a row: refused, never a shorter list', { timeout: 10_000 }, async () => {
    const vm = sim.fleet.host(0).state.vm(2);
    assert.ok(vm);
    vm.name = 'evil\n9      more';
    await assert.rejects(vim.getAllVms(sim.host(0)), (err) => {
      assert.ok(err instanceof UnexpectedOutputError, String(err));
      assert.ok(err.cause instanceof VmListParseError);
      assert.match(err.message, /VM 2: no "\[datastore\] path\.vmx {2}guest {2}vmx-NN" part/);
      return true;
    });
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { OutputParseError } from '../parsing/output-parse-error';
import { parseAutoStartDefaults, parseAutoStartSequence } from './vim-cmd-autostart.parser';
import { parseVimFault } from './vim-cmd-fault.parser';
import { parseGetAllVms } from './vim-cmd-getallvms.parser';
import { parseVmPowerState } from './vim-cmd-power-state.parser';

describe('parseGetAllVms', () => {
  it('reads the confirmed shape', () => {
    const text = `Vmid   Name        File                               Guest OS          Version   Annotation
1      nutsrv      [datastore1] nutsrv/nutsrv.vmx     debian11_64Guest  vmx-19
2      win2022     [datastore1] win2022/win2022.vmx   windows2019srv_64Guest  vmx-19
`;
    assert.deepEqual(parseGetAllVms(text), {
      vms: [
        {
          id: 1,
          name: 'nutsrv',
          file: '[datastore1] nutsrv/nutsrv.vmx',
          datastore: 'datastore1',
          guestOs: 'debian11_64Guest',
          version: 'vmx-19',
          annotation: '',
        },
        {
          id: 2,
          name: 'win2022',
          file: '[datastore1] win2022/win2022.vmx',
          datastore: 'datastore1',
          guestOs: 'windows2019srv_64Guest',
          version: 'vmx-19',
          annotation: '',
        },
      ],
      invalidVmIds: [],
    });
  });

  it('keeps multi-line annotations, names and paths with spaces, and skips invalid VMs', () => {
    const text = [
      'Vmid         Name                     File                           Guest OS       Version       Annotation',
      '10     vCenter Server    [SSD datastore] vCenter Server/vCenter Server.vmx   vmwarePhoton64Guest   vmx-10    VMware vCenter Server Appliance',
      'Owner: ops team',
      '',
      '42 is the answer; not a VM row',
      '11     db01              [datastore1] db01/db01.vmx                          rhel8_64Guest         vmx-14    ',
      "Skipping invalid VM '12'",
      '13     web [prod]        [datastore2] web/web.vmx                            ubuntu64Guest         vmx-17    front',
    ].join('\n');
    const { vms, invalidVmIds } = parseGetAllVms(text);
    assert.deepEqual(
      vms.map((vm) => [vm.id, vm.name, vm.datastore, vm.file]),
      [
        [10, 'vCenter Server', 'SSD datastore', '[SSD datastore] vCenter Server/vCenter Server.vmx'],
        [11, 'db01', 'datastore1', '[datastore1] db01/db01.vmx'],
        [13, 'web [prod]', 'datastore2', '[datastore2] web/web.vmx'],
      ],
    );
    assert.equal(
      vms[0]?.annotation,
      'VMware vCenter Server Appliance\nOwner: ops team\n\n42 is the answer; not a VM row',
    );
    assert.equal(vms[0]?.guestOs, 'vmwarePhoton64Guest');
    assert.equal(vms[1]?.annotation, '');
    assert.deepEqual(invalidVmIds, [12]);
  });

  it('accepts a lower-case header, an empty inventory and rejects garbage', () => {
    assert.deepEqual(parseGetAllVms('vmid   name   file   guest os   version   annotation\n').vms, []);
    assert.deepEqual(parseGetAllVms('').vms, []);
    assert.throws(() => parseGetAllVms('sh: vim-cmd: not found\n'), OutputParseError);
  });
});

describe('parseVmPowerState', () => {
  it('reads every state, in any case', () => {
    assert.equal(parseVmPowerState('Retrieved runtime info\nPowered on\n'), 'poweredOn');
    assert.equal(parseVmPowerState('Retrieved runtime info\nPowered off\n'), 'poweredOff');
    assert.equal(parseVmPowerState('Retrieved runtime info\nSuspended\n'), 'suspended');
    assert.equal(parseVmPowerState('Retrieved runtime info\r\nPOWERED ON\r\n'), 'poweredOn');
    assert.throws(() => parseVmPowerState('Retrieved runtime info\n'), OutputParseError);
  });
});

describe('parseAutoStartSequence', () => {
  it('reads the 6.7/8.0 dump', () => {
    const text = `(vim.host.AutoStartManager.AutoPowerInfo) [
   (vim.host.AutoStartManager.AutoPowerInfo) {
      key = 'vim.VirtualMachine:3',
      startOrder = 1,
      startDelay = -1,
      waitForHeartbeat = "systemDefault",
      startAction = "powerOn",
      stopDelay = -1,
      stopAction = "systemDefault"
   }
]
`;
    assert.deepEqual(parseAutoStartSequence(text), [
      {
        vmId: 3,
        startOrder: 1,
        startDelay: -1,
        startAction: 'powerOn',
        stopDelay: -1,
        stopAction: 'systemDefault',
        waitForHeartbeat: 'systemDefault',
      },
    ]);
  });

  it('reads the 7.0 variant: trailing spaces, capitalised values, several entries out of order', () => {
    const text = `(vim.host.AutoStartManager.AutoPowerInfo) [ 
   (vim.host.AutoStartManager.AutoPowerInfo) { 
      key = 'vim.VirtualMachine:7', 
      startOrder = 2, 
      startDelay = 120, 
      waitForHeartbeat = "no", 
      startAction = "PowerOn", 
      stopDelay = 300, 
      stopAction = "GuestShutdown"
   }, 
   (vim.host.AutoStartManager.AutoPowerInfo) { 
      key = 'vim.VirtualMachine:1', 
      startOrder = 1, 
      startDelay = -1, 
      waitForHeartbeat = "yes", 
      startAction = "PowerOn", 
      stopDelay = -1, 
      stopAction = "Suspend"
   }
]`;
    const entries = parseAutoStartSequence(text);
    assert.deepEqual(
      entries.map((e) => [e.vmId, e.startOrder, e.stopAction, e.waitForHeartbeat]),
      [
        [1, 1, 'suspend', 'yes'],
        [7, 2, 'guestShutdown', 'no'],
      ],
    );
  });

  it('returns an empty list for an empty sequence', () => {
    assert.deepEqual(parseAutoStartSequence('(vim.host.AutoStartManager.AutoPowerInfo) []\n'), []);
    assert.deepEqual(parseAutoStartSequence(''), []);
  });

  it('rejects unknown actions', () => {
    const text = `(vim.host.AutoStartManager.AutoPowerInfo) [ (vim.host.AutoStartManager.AutoPowerInfo) { key = 'vim.VirtualMachine:1', startOrder = 1, startDelay = 0, waitForHeartbeat = "no", startAction = "explode", stopDelay = 0, stopAction = "none" } ]`;
    assert.throws(() => parseAutoStartSequence(text), OutputParseError);
  });
});

describe('parseAutoStartDefaults', () => {
  it('reads the defaults object with its trailing comma', () => {
    const text = `(vim.host.AutoStartManager.SystemDefaults) {
   enabled = true,
   startDelay = 120,
   stopDelay = 120,
   waitForHeartbeat = false,
   stopAction = "PowerOff",
}
`;
    assert.deepEqual(parseAutoStartDefaults(text), {
      enabled: true,
      startDelay: 120,
      stopDelay: 120,
      waitForHeartbeat: false,
      stopAction: 'powerOff',
    });
  });

  it('rejects truncated dumps', () => {
    assert.throws(
      () => parseAutoStartDefaults('(vim.host.AutoStartManager.SystemDefaults) {\n   enabled = true,\n'),
      OutputParseError,
    );
  });
});

describe('parseVimFault', () => {
  it('finds fault dumps and their message', () => {
    const text = `(vim.fault.ToolsUnavailable) {
   faultCause = (vmodl.MethodFault) null,
   faultMessage = <unset>,
   msg = "Cannot complete operation because VMware Tools is not running in this virtual machine."
}
`;
    assert.deepEqual(parseVimFault(text), {
      fault: 'vim.fault.ToolsUnavailable',
      message: 'Cannot complete operation because VMware Tools is not running in this virtual machine.',
    });
    assert.equal(parseVimFault('Powering on VM:\n'), undefined);
    assert.equal(parseVimFault('(vmodl.fault.ManagedObjectNotFound) {\n}')?.fault, 'vmodl.fault.ManagedObjectNotFound');
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type CommandTarget } from '../command-runner';
import { UnexpectedOutputError, VimCmdUnknownCommandError, VimFaultError } from '../esxi-errors';
import { type ExecResult } from '../ssh/ssh-connection';
import { autostartDefaults, getAllVms } from './vim-cmd-commands';
import { VmListParseError } from './vim-cmd-getallvms.parser';

/** A host that answers every command with `reply`. */
function hostAnswering(reply: ExecResult): CommandTarget {
  return {
    label: '10.0.0.9:22',
    exec: (argv) => Promise.resolve({ ...reply, command: argv.join(' ') }),
  };
}

describe('vim-cmd wrappers: errors a caller can tell apart', () => {
  it('"Unknown command" is VimCmdUnknownCommandError, on stdout or stderr, whatever the exit code', async () => {
    for (const reply of [
      { code: 1, stdout: '', stderr: "Unknown command: 'hostsvc/autostartmanager/get_defaults'\n" },
      { code: 0, stdout: "Unknown command: 'hostsvc/autostartmanager/get_defaults'\n", stderr: '' },
    ]) {
      await assert.rejects(autostartDefaults(hostAnswering(reply)), (err: unknown) => {
        assert.ok(err instanceof VimCmdUnknownCommandError);
        assert.equal(err.vimCommand, 'hostsvc/autostartmanager/get_defaults');
        assert.equal(err.retryable, false);
        assert.match(err.message, /10\.0\.0\.9:22 does not know "hostsvc\/autostartmanager\/get_defaults"/);
        return true;
      });
    }
  });

  it('a fault dump stays a VimFaultError', async () => {
    const dump = '(vim.fault.NotSupported) {\n   msg = "The operation is not supported on the object."\n}\n';
    await assert.rejects(autostartDefaults(hostAnswering({ code: 1, stdout: dump, stderr: '' })), VimFaultError);
  });

  it('a VM list that cannot be read is UnexpectedOutputError caused by VmListParseError', async () => {
    const text =
      'Vmid   Name   File   Guest OS   Version   Annotation\n1      evil\n2      x   [ds] x/x.vmx   otherGuest   vmx-19\n';
    await assert.rejects(getAllVms(hostAnswering({ code: 0, stdout: text, stderr: '' })), (err: unknown) => {
      assert.ok(err instanceof UnexpectedOutputError);
      assert.ok(err.cause instanceof VmListParseError);
      assert.match(err.message, /VM 1: no/);
      return true;
    });
  });
});

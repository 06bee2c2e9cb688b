import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { adviseFailure, FAILURE_CAUSES, type FailureCause } from './failure-advice';

/** Errors as the worker writes them (the typed errors' messages and the step handlers' own). */
const CASES: ReadonlyArray<readonly [string, string, FailureCause]> = [
  [
    'Host key of 127.0.0.1:2201 does not match the pinned one: expected SHA256:a, presented SHA256:b. If the host was reinstalled…',
    'host-power-off',
    'HOST_KEY_MISMATCH',
  ],
  [
    'Host esx1 is blocked: it presented a host key other than the pinned one. Check the key…',
    'vm-stop',
    'HOST_KEY_MISMATCH',
  ],
  ['Host esx1 has no trusted host key yet: fetch it with POST /hosts/x/trust', 'host-power-off', 'HOST_KEY_UNTRUSTED'],
  ['Host 127.0.0.1:22 presented key SHA256:x but no fingerprint is pinned for it', 'wait-ssh', 'HOST_KEY_UNTRUSTED'],
  [
    'Authentication to 127.0.0.1:2201 was refused: check the user name and credentials stored for it.',
    'vm-stop',
    'SSH_AUTH',
  ],
  ['Credentials of host esx1 cannot be used: no password stored', 'host-power-off', 'SSH_AUTH'],
  ['Host esx1 is not contacted: 10.0.0.1 is outside ALLOWED_TARGET_NETWORKS', 'vm-stop', 'TARGET_NOT_ALLOWED'],
  ['No SSH session with 127.0.0.1:2201 within 10000 ms: is the host up and SSH enabled?', 'vm-stop', 'SSH_UNREACHABLE'],
  ['Could not open an SSH session with 127.0.0.1:2201: ECONNREFUSED. Check…', 'host-power-off', 'SSH_UNREACHABLE'],
  [
    'Connection to 127.0.0.1:2201 was lost before the command finished; it may or may not have run.',
    'vm-stop',
    'SSH_UNREACHABLE',
  ],
  [
    'Command on 127.0.0.1:2201 did not finish within 30000 ms and was abandoned: vim-cmd …',
    'vm-stop',
    'COMMAND_TIMEOUT',
  ],
  ['vm 4 (db): still powered on after power-off', 'vm-stop', 'VM_NOT_STOPPED'],
  [
    'esx1 still answers SSH at its deadline after poweroff was sent; nutfleet resends only…',
    'host-power-off',
    'HOST_STILL_UP',
  ],
  ['esx1 did not come back: no SSH session 300 s after its magic packets (refused).', 'wait-ssh', 'HOST_NOT_BACK'],
  ['esx1 answers SSH but ESXi did not verify within 120 s (x): check hostd', 'verify-esxi', 'ESXI_NOT_VERIFIED'],
  ['esx1: 2 VM(s) did not power on (a; b): power them on from the Host Client', 'power-on-vms', 'VM_NOT_STARTED'],
  ['ups1@nut1: the driver answered ERR CMD-NOT-SUPPORTED to INSTCMD shutdown.return', 'ups-power-cycle', 'UPS_COMMAND'],
  ['something nobody expected', 'host-power-off', 'UNKNOWN'],
];

describe('adviseFailure', () => {
  for (const [error, action, cause] of CASES) {
    test(`${action}: ${error.slice(0, 60)} → ${cause}`, () => {
      const advice = adviseFailure(error, action);
      assert.equal(advice.cause, cause);
      assert.ok(advice.fix.length > 20);
    });
  }

  test('every cause is reachable from some error and has its own advice', () => {
    assert.deepEqual(new Set(CASES.map(([, , cause]) => cause)), new Set(FAILURE_CAUSES));
    const fixes = FAILURE_CAUSES.map((c) => CASES.find(([, , cause]) => cause === c)).map((c) =>
      c === undefined ? '' : adviseFailure(c[0], c[1]).fix,
    );
    assert.equal(new Set(fixes).size, FAILURE_CAUSES.length);
  });

  test('a connection failure while stopping a VM is about the connection, not the VM', () => {
    assert.equal(adviseFailure('Authentication to h:22 was refused: check…', 'vm-stop').readinessCheck, 'SSH_AUTH');
  });
});

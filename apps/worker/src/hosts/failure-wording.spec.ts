import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import {
  AuthenticationError,
  CommandTimeoutError,
  ConnectionError,
  ConnectionLostError,
  ConnectTimeoutError,
  HostKeyMismatchError,
  UnknownHostKeyError,
} from '@nutfleet/esxi';
import { adviseFailure, type FailureCause } from '@nutfleet/plan';

import { HostCredentialsError, HostNotTrustedError, HostTargetNotAllowedError } from './host-connector.errors';

/**
 * A step stores its error as the typed error's message, and plan reports recognise the cause from
 * that wording. These are the real classes the worker throws, so a reworded message that the report
 * would no longer recognise (and would file as UNKNOWN, with no advice) fails here.
 */
const host = { host: '127.0.0.1:2201', command: 'vim-cmd vmsvc/power.shutdown 4' };
const CASES: ReadonlyArray<readonly [Error, FailureCause]> = [
  [new HostKeyMismatchError('SHA256:a', 'SHA256:b', host), 'HOST_KEY_MISMATCH'],
  [new HostNotTrustedError('h1', 'esx1', 'MISMATCH'), 'HOST_KEY_MISMATCH'],
  [new UnknownHostKeyError('SHA256:b', host), 'HOST_KEY_UNTRUSTED'],
  [new HostNotTrustedError('h1', 'esx1', 'UNTRUSTED'), 'HOST_KEY_UNTRUSTED'],
  [new AuthenticationError(host), 'SSH_AUTH'],
  [new HostCredentialsError('h1', 'esx1', 'no password stored'), 'SSH_AUTH'],
  [new HostTargetNotAllowedError('h1', 'esx1', '10.0.0.1 is outside ALLOWED_TARGET_NETWORKS'), 'TARGET_NOT_ALLOWED'],
  [new ConnectTimeoutError(10_000, host), 'SSH_UNREACHABLE'],
  [new ConnectionError('ECONNREFUSED', host), 'SSH_UNREACHABLE'],
  [new ConnectionLostError(true, host), 'SSH_UNREACHABLE'],
  [new ConnectionLostError(false, host), 'SSH_UNREACHABLE'],
  [new CommandTimeoutError(30_000, host), 'COMMAND_TIMEOUT'],
];

describe('plan reports recognise the errors the worker writes into a step', () => {
  for (const [error, cause] of CASES) {
    test(`${error.name}: ${cause}`, () => {
      assert.equal(adviseFailure(error.message, 'vm-stop').cause, cause, error.message);
    });
  }
});

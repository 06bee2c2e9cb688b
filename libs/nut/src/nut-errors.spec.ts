import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as errors from './nut-errors';
import { NUT_ERROR_CLASSES, NutServerError, NutUnrecognizedServerError, nutServerErrorFor } from './nut-errors';

// upsd's ERR codes (docs/NUT.md, Error replies), spelled out so a missing mapping fails here.
const EXPECTED: Record<string, string> = {
  'ACCESS-DENIED': 'NutAccessDeniedError',
  'UNKNOWN-UPS': 'NutUnknownUpsError',
  'VAR-NOT-SUPPORTED': 'NutVarNotSupportedError',
  'CMD-NOT-SUPPORTED': 'NutCmdNotSupportedError',
  'INVALID-ARGUMENT': 'NutInvalidArgumentError',
  'INSTCMD-FAILED': 'NutInstcmdFailedError',
  'SET-FAILED': 'NutSetFailedError',
  READONLY: 'NutReadonlyError',
  'TOO-LONG': 'NutTooLongError',
  'INVALID-VALUE': 'NutInvalidValueError',
  'FEATURE-NOT-SUPPORTED': 'NutFeatureNotSupportedError',
  'FEATURE-NOT-CONFIGURED': 'NutFeatureNotConfiguredError',
  'ALREADY-SSL-MODE': 'NutAlreadySslModeError',
  'DRIVER-NOT-CONNECTED': 'NutDriverNotConnectedError',
  'DATA-STALE': 'NutDataStaleError',
  'ALREADY-LOGGED-IN': 'NutAlreadyLoggedInError',
  'ALREADY-SET-USERNAME': 'NutAlreadySetUsernameError',
  'ALREADY-SET-PASSWORD': 'NutAlreadySetPasswordError',
  'INVALID-USERNAME': 'NutInvalidUsernameError',
  'INVALID-PASSWORD': 'NutInvalidPasswordError',
  'USERNAME-REQUIRED': 'NutUsernameRequiredError',
  'PASSWORD-REQUIRED': 'NutPasswordRequiredError',
  'UNKNOWN-COMMAND': 'NutUnknownCommandError',
  UNKNOWN: 'NutUnknownError',
  FAILED: 'NutFailedError',
  'VAR-UNKNOWN': 'NutVarUnknownError',
  'UNKNOWN-TYPE': 'NutUnknownTypeError',
  'UNKNOWN-INSTCMD': 'NutUnknownInstcmdError',
  'MISSING-ARGUMENT': 'NutMissingArgumentError',
  'PASSWORD-INCORRECT': 'NutPasswordIncorrectError',
};

describe('nutServerErrorFor', () => {
  it('knows exactly the codes upsd defines', () => {
    assert.deepEqual(Object.keys(NUT_ERROR_CLASSES).sort(), Object.keys(EXPECTED).sort());
  });

  for (const [code, className] of Object.entries(EXPECTED)) {
    it(`ERR ${code} -> ${className}`, () => {
      const error = nutServerErrorFor(code, ['extra', 'words'], {
        server: '10.0.0.1:3493',
        command: 'LIST VAR "x"',
        cause: 'why',
      });
      const ErrorClass = (errors as Record<string, unknown>)[className];
      assert.equal(typeof ErrorClass, 'function');
      assert.ok(error instanceof (ErrorClass as typeof NutServerError));
      assert.ok(error instanceof NutServerError);
      assert.ok(error instanceof errors.NutError);
      assert.equal(error.name, className);
      assert.equal(error.code, code);
      assert.deepEqual(error.extra, ['extra', 'words']);
      assert.equal(error.server, '10.0.0.1:3493');
      assert.equal(error.command, 'LIST VAR "x"');
      assert.equal(error.cause, 'why');
      assert.equal(error.message, `10.0.0.1:3493 LIST VAR "x": server replied ERR ${code} extra words`);
    });
  }

  it('keeps an unknown code in a generic class', () => {
    const error = nutServerErrorFor('SHINY-NEW', []);
    assert.ok(error instanceof NutUnrecognizedServerError);
    assert.equal(error.code, 'SHINY-NEW');
    assert.equal(nutServerErrorFor('constructor', []).constructor, NutUnrecognizedServerError);
  });

  it('transport errors carry context and cause', () => {
    const cause = new Error('ECONNRESET');
    const error = new errors.NutConnectionClosedError('server closed the connection', {
      server: 'h:1',
      command: 'VER',
      cause,
    });
    assert.equal(error.message, 'h:1 VER: server closed the connection');
    assert.equal(error.cause, cause);
    assert.equal(new errors.NutTimeoutError(500, { server: 'h:1' }).timeoutMs, 500);
    assert.ok(new errors.NutLineTooLongError(10) instanceof errors.NutProtocolError);
    assert.ok(new errors.NutTlsCertificateError('x') instanceof errors.NutTlsError);
  });
});

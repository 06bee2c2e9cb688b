/**
 * Typed errors of the NUT client. Every error names the server (`host:port`) and the command
 * (with secrets redacted) it belongs to, so a log line is enough to locate a failure.
 */

/** Where an error happened: the server and the command being run (passwords redacted). */
export interface NutErrorContext {
  /** `host:port` of the NUT server. */
  server?: string;
  /** The command as sent, e.g. `GET VAR "ups1" "ups.status"`, with PASSWORD arguments redacted. */
  command?: string;
  cause?: unknown;
}

function describe(message: string, context: NutErrorContext): string {
  const where = [context.server, context.command].filter((part) => part !== undefined && part !== '').join(' ');
  return where === '' ? message : `${where}: ${message}`;
}

/** Base class of every error raised by `@nutfleet/nut`. */
export class NutError extends Error {
  readonly server: string | undefined;
  readonly command: string | undefined;

  constructor(message: string, context: NutErrorContext = {}) {
    super(describe(message, context), context.cause === undefined ? undefined : { cause: context.cause });
    this.name = new.target.name;
    this.server = context.server;
    this.command = context.command;
  }
}

/** The server answered `ERR <code> [extra]`. Subclasses exist for every known code. */
export class NutServerError extends NutError {
  /** The code exactly as the server sent it, e.g. `ACCESS-DENIED`. */
  readonly code: string;
  /** Words after the code (upsd rarely sends any). */
  readonly extra: readonly string[];

  constructor(code: string, extra: readonly string[], context: NutErrorContext = {}) {
    super(`server replied ERR ${code}${extra.length > 0 ? ` ${extra.join(' ')}` : ''}`, context);
    this.code = code;
    this.extra = extra;
  }
}

export class NutAccessDeniedError extends NutServerError {}
export class NutUnknownUpsError extends NutServerError {}
export class NutVarNotSupportedError extends NutServerError {}
export class NutCmdNotSupportedError extends NutServerError {}
export class NutInvalidArgumentError extends NutServerError {}
export class NutInstcmdFailedError extends NutServerError {}
export class NutSetFailedError extends NutServerError {}
export class NutReadonlyError extends NutServerError {}
export class NutTooLongError extends NutServerError {}
export class NutInvalidValueError extends NutServerError {}
export class NutFeatureNotSupportedError extends NutServerError {}
export class NutFeatureNotConfiguredError extends NutServerError {}
export class NutAlreadySslModeError extends NutServerError {}
export class NutDriverNotConnectedError extends NutServerError {}
export class NutDataStaleError extends NutServerError {}
export class NutAlreadyLoggedInError extends NutServerError {}
export class NutAlreadySetUsernameError extends NutServerError {}
export class NutAlreadySetPasswordError extends NutServerError {}
export class NutInvalidUsernameError extends NutServerError {}
export class NutInvalidPasswordError extends NutServerError {}
export class NutUsernameRequiredError extends NutServerError {}
export class NutPasswordRequiredError extends NutServerError {}
export class NutUnknownCommandError extends NutServerError {}
/** `ERR UNKNOWN`: only sent as a TRACKING result. */
export class NutUnknownError extends NutServerError {}
/** `ERR FAILED`: only sent as a TRACKING result. */
export class NutFailedError extends NutServerError {}
// Legacy codes: defined by the protocol, not sent by modern upsd.
export class NutVarUnknownError extends NutServerError {}
export class NutUnknownTypeError extends NutServerError {}
export class NutUnknownInstcmdError extends NutServerError {}
export class NutMissingArgumentError extends NutServerError {}
export class NutPasswordIncorrectError extends NutServerError {}
/** An `ERR` code this client does not know; `code` still holds it. */
export class NutUnrecognizedServerError extends NutServerError {}

type NutServerErrorClass = new (code: string, extra: readonly string[], context?: NutErrorContext) => NutServerError;

/** Every `ERR` code of the protocol (docs/net-protocol.txt, server/neterr.h) and its class. */
export const NUT_ERROR_CLASSES = {
  'ACCESS-DENIED': NutAccessDeniedError,
  'UNKNOWN-UPS': NutUnknownUpsError,
  'VAR-NOT-SUPPORTED': NutVarNotSupportedError,
  'CMD-NOT-SUPPORTED': NutCmdNotSupportedError,
  'INVALID-ARGUMENT': NutInvalidArgumentError,
  'INSTCMD-FAILED': NutInstcmdFailedError,
  'SET-FAILED': NutSetFailedError,
  READONLY: NutReadonlyError,
  'TOO-LONG': NutTooLongError,
  'INVALID-VALUE': NutInvalidValueError,
  'FEATURE-NOT-SUPPORTED': NutFeatureNotSupportedError,
  'FEATURE-NOT-CONFIGURED': NutFeatureNotConfiguredError,
  'ALREADY-SSL-MODE': NutAlreadySslModeError,
  'DRIVER-NOT-CONNECTED': NutDriverNotConnectedError,
  'DATA-STALE': NutDataStaleError,
  'ALREADY-LOGGED-IN': NutAlreadyLoggedInError,
  'ALREADY-SET-USERNAME': NutAlreadySetUsernameError,
  'ALREADY-SET-PASSWORD': NutAlreadySetPasswordError,
  'INVALID-USERNAME': NutInvalidUsernameError,
  'INVALID-PASSWORD': NutInvalidPasswordError,
  'USERNAME-REQUIRED': NutUsernameRequiredError,
  'PASSWORD-REQUIRED': NutPasswordRequiredError,
  'UNKNOWN-COMMAND': NutUnknownCommandError,
  UNKNOWN: NutUnknownError,
  FAILED: NutFailedError,
  'VAR-UNKNOWN': NutVarUnknownError,
  'UNKNOWN-TYPE': NutUnknownTypeError,
  'UNKNOWN-INSTCMD': NutUnknownInstcmdError,
  'MISSING-ARGUMENT': NutMissingArgumentError,
  'PASSWORD-INCORRECT': NutPasswordIncorrectError,
} as const satisfies Record<string, NutServerErrorClass>;

export type NutErrorCode = keyof typeof NUT_ERROR_CLASSES;

function isKnownCode(code: string): code is NutErrorCode {
  return Object.prototype.hasOwnProperty.call(NUT_ERROR_CLASSES, code);
}

/** Builds the typed error for an `ERR <code> [extra…]` reply. */
export function nutServerErrorFor(
  code: string,
  extra: readonly string[],
  context: NutErrorContext = {},
): NutServerError {
  const ErrorClass: NutServerErrorClass = isKnownCode(code) ? NUT_ERROR_CLASSES[code] : NutUnrecognizedServerError;
  return new ErrorClass(code, extra, context);
}

/** The request got no complete reply within its timeout; the connection is dropped with it. */
export class NutTimeoutError extends NutError {
  readonly timeoutMs: number;
  constructor(timeoutMs: number, context: NutErrorContext = {}) {
    super(`no reply within ${timeoutMs} ms`, context);
    this.timeoutMs = timeoutMs;
  }
}

/** The server sent something the protocol does not allow here (garbage, wrong echo, unsolicited data). */
export class NutProtocolError extends NutError {
  /** The offending line, cut to 200 characters. */
  readonly line: string | undefined;
  constructor(message: string, line: string | undefined, context: NutErrorContext = {}) {
    super(line === undefined ? message : `${message}: ${JSON.stringify(line.slice(0, 200))}`, context);
    this.line = line === undefined ? undefined : line.slice(0, 200);
  }
}

/** A reply line exceeded the configured maximum length before its newline arrived. */
export class NutLineTooLongError extends NutProtocolError {
  readonly maxLineLength: number;
  constructor(maxLineLength: number, context: NutErrorContext = {}) {
    super(`reply line longer than ${maxLineLength} bytes`, undefined, context);
    this.maxLineLength = maxLineLength;
  }
}

/** A LIST reply exceeded the configured maximum total size or row count. */
export class NutReplyTooLargeError extends NutProtocolError {
  readonly maxBytes: number;
  constructor(maxBytes: number, context: NutErrorContext = {}) {
    super(`LIST reply larger than ${maxBytes} bytes or too many rows`, undefined, context);
    this.maxBytes = maxBytes;
  }
}

/** TCP connect failed (refused, unreachable, DNS) or did not finish in time. */
export class NutConnectError extends NutError {}

/** The connection closed (or was closed by us after a fatal error) while a request was pending. */
export class NutConnectionClosedError extends NutError {}

/** A request was made on a session that has no live connection. */
export class NutNotConnectedError extends NutError {}

/** A value can't be sent safely in the NUT protocol (control or non-ASCII characters). */
export class NutArgumentError extends NutError {}

/** Base class of TLS failures. */
export class NutTlsError extends NutError {}

/** TLS is required but the server does not offer STARTTLS. */
export class NutTlsUnavailableError extends NutTlsError {}

/** The server's certificate failed verification against the CA, its name, or the pinned fingerprint. */
export class NutTlsCertificateError extends NutTlsError {}

/**
 * USERNAME/PASSWORD were not sent: the connection is in plaintext and the TLS policy is not
 * `off` (with `opportunistic`, a server that does not offer STARTTLS gets no password — else a
 * man in the middle could strip STARTTLS and read it). Nothing secret left this process.
 */
export class NutCredentialsWithheldError extends NutTlsError {}

/** The TLS handshake failed or timed out for another reason. */
export class NutTlsHandshakeError extends NutTlsError {}

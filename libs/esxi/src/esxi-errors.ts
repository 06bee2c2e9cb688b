/**
 * Every failure of an action on an ESXi host is one of these classes. Each names the host
 * (address:port) and, when a command was involved, the exact command line sent, and says
 * whether trying again can help (`retryable`).
 */
export interface EsxiErrorContext {
  /** `address:port` of the host. */
  readonly host: string;
  /** The shell line sent to the host, when the failure concerns one command. */
  readonly command?: string;
  readonly cause?: unknown;
}

export class EsxiError extends Error {
  readonly host: string;
  readonly command: string | undefined;
  /** True when the same call may succeed later without anyone changing anything. */
  readonly retryable: boolean = false;

  constructor(message: string, context: EsxiErrorContext) {
    super(message, context.cause === undefined ? undefined : { cause: context.cause });
    this.name = new.target.name;
    this.host = context.host;
    this.command = context.command;
  }
}

// --- connection ------------------------------------------------------------------------

/** The host presented a key other than the pinned one: possibly a man in the middle. Never retry. */
export class HostKeyMismatchError extends EsxiError {
  constructor(
    readonly expectedFingerprint: string,
    readonly presentedFingerprint: string,
    context: EsxiErrorContext,
  ) {
    super(
      `Host key of ${context.host} does not match the pinned one: expected ${expectedFingerprint}, ` +
        `presented ${presentedFingerprint}. If the host was reinstalled, check the new key on its console ` +
        `and update the pinned fingerprint; otherwise treat this as an attack.`,
      context,
    );
  }
}

/** No fingerprint is pinned and first contact was not allowed: the key cannot be trusted. */
export class UnknownHostKeyError extends EsxiError {
  constructor(
    readonly presentedFingerprint: string,
    context: EsxiErrorContext,
  ) {
    super(
      `Host ${context.host} presented key ${presentedFingerprint} but no fingerprint is pinned for it ` +
        `and first contact was not allowed. Pin the fingerprint or allow first contact explicitly.`,
      context,
    );
  }
}

export class AuthenticationError extends EsxiError {
  constructor(context: EsxiErrorContext) {
    super(`Authentication to ${context.host} was refused: check the user name and credentials stored for it.`, context);
  }
}

export class ConnectTimeoutError extends EsxiError {
  override readonly retryable = true;
  constructor(
    readonly timeoutMs: number,
    context: EsxiErrorContext,
  ) {
    super(`No SSH session with ${context.host} within ${timeoutMs} ms: is the host up and SSH enabled?`, context);
  }
}

/** TCP or SSH-level failure while connecting (refused, unreachable, handshake error). */
export class ConnectionError extends EsxiError {
  override readonly retryable = true;
  constructor(detail: string, context: EsxiErrorContext) {
    super(
      `Could not open an SSH session with ${context.host}: ${detail}. Check that the host is up and SSH is enabled.`,
      context,
    );
  }
}

/**
 * The connection dropped. When `commandMayHaveRun` is true the command may or may not have taken
 * effect; when false it never reached the host and can safely be sent again.
 */
export class ConnectionLostError extends EsxiError {
  override readonly retryable = true;
  constructor(
    readonly commandMayHaveRun: boolean,
    context: EsxiErrorContext,
  ) {
    super(
      commandMayHaveRun
        ? `Connection to ${context.host} was lost before the command finished; it may or may not have run.`
        : `Connection to ${context.host} was lost before the command could start.`,
      context,
    );
  }
}

/** The host settings given by the caller are unusable (bad fingerprint text, unreadable key). */
export class InvalidTargetError extends EsxiError {
  constructor(detail: string, context: EsxiErrorContext) {
    super(`Settings for ${context.host} are invalid: ${detail}`, context);
  }
}

// --- commands --------------------------------------------------------------------------

export class CommandTimeoutError extends EsxiError {
  override readonly retryable = true;
  constructor(
    readonly timeoutMs: number,
    context: EsxiErrorContext,
  ) {
    super(
      `Command on ${context.host} did not finish within ${timeoutMs} ms and was abandoned: ${context.command ?? ''}`,
      context,
    );
  }
}

/** The channel closed without an exit status (or the command was killed by a signal). */
export class MissingExitStatusError extends EsxiError {
  constructor(
    readonly signal: string | undefined,
    context: EsxiErrorContext,
  ) {
    super(
      signal === undefined
        ? `Command on ${context.host} ended without an exit status, so its outcome is unknown: ${context.command ?? ''}`
        : `Command on ${context.host} was killed by signal ${signal}: ${context.command ?? ''}`,
      context,
    );
  }
}

export class OutputTooLargeError extends EsxiError {
  constructor(
    readonly limitBytes: number,
    context: EsxiErrorContext,
  ) {
    super(
      `Command on ${context.host} printed more than ${limitBytes} bytes and was stopped: ${context.command ?? ''}`,
      context,
    );
  }
}

/** A command exited non-zero and no more specific error applies. */
export class CommandFailedError extends EsxiError {
  constructor(
    readonly exitCode: number,
    readonly stdout: string,
    readonly stderr: string,
    context: EsxiErrorContext,
    detail?: string,
  ) {
    super(
      `Command on ${context.host} failed with exit code ${exitCode}: ${context.command ?? ''}${detail ? `: ${detail}` : ''}`,
      context,
    );
  }
}

/** The command succeeded but its output did not have the expected shape. */
export class UnexpectedOutputError extends EsxiError {
  constructor(
    readonly output: string,
    context: EsxiErrorContext,
  ) {
    const reason = context.cause instanceof Error ? context.cause.message : 'unrecognised output';
    super(`Unexpected output from ${context.host} for ${context.command ?? 'a command'}: ${reason}`, context);
  }
}

// --- esxcli / vim-cmd ------------------------------------------------------------------

/** An esxcli error; `errorType` is the bracketed class ESXi prints (`NoMatchError`, ...) when present. */
export class EsxcliError extends EsxiError {
  constructor(
    readonly errorType: string | undefined,
    readonly detail: string,
    readonly exitCode: number,
    context: EsxiErrorContext,
    advice = '',
  ) {
    super(
      `esxcli on ${context.host} failed${errorType ? ` [${errorType}]` : ''}: ${detail}${advice ? ` ${advice}` : ''}`,
      context,
    );
  }
}

export class VibNotFoundError extends EsxcliError {}
export class DependencyError extends EsxcliError {}
/** The VIB's acceptance level is below the host's (or the level cannot be changed because of installed VIBs). */
export class AcceptanceLevelError extends EsxcliError {}
/** UEFI Secure Boot forbids lowering the acceptance level (or installing unsigned VIBs). */
export class SecureBootError extends EsxcliError {}
/** ESXi 8+ refuses payloads without a sha-256 checksum of the gunzipped tar. */
export class MissingPayloadChecksumError extends EsxcliError {}
export class AdvancedOptionNotFoundError extends EsxcliError {}
/** The option exists but refused the value (out of its min–max range, or of the other type). */
export class AdvancedOptionValueError extends EsxcliError {}
/** `esxcli system shutdown` needs the host in maintenance mode. */
export class MaintenanceModeRequiredError extends EsxcliError {}

/** This ESXi build's esxcli has no such command or namespace ("Unknown command or namespace"). */
export class EsxcliUnknownCommandError extends EsxcliError {}

/**
 * vim-cmd answered "Unknown command": this ESXi build does not have the command. Trying again
 * cannot help; what it would have read is unknown on this host.
 */
export class VimCmdUnknownCommandError extends EsxiError {
  constructor(
    readonly vimCommand: string,
    context: EsxiErrorContext,
  ) {
    super(
      `vim-cmd on ${context.host} does not know "${vimCommand}" (Unknown command): this ESXi build cannot report it`,
      context,
    );
  }
}

/** vim-cmd printed a `(vim.fault.X)` / `(vmodl.fault.X)` dump. */
export class VimFaultError extends EsxiError {
  constructor(
    readonly fault: string,
    readonly faultMessage: string | undefined,
    context: EsxiErrorContext,
  ) {
    super(`vim-cmd on ${context.host} failed with ${fault}${faultMessage ? `: ${faultMessage}` : ''}`, context);
  }
}

// --- upload ----------------------------------------------------------------------------

export class UploadError extends EsxiError {
  constructor(
    readonly remotePath: string,
    detail: string,
    context: EsxiErrorContext,
  ) {
    super(`Upload to ${context.host}:${remotePath} failed: ${detail}`, context);
  }
}

export class NoSpaceLeftError extends UploadError {
  constructor(remotePath: string, context: EsxiErrorContext) {
    super(
      remotePath,
      'no space left on the device; free space on the target (e.g. clean /tmp) or upload to a datastore',
      context,
    );
  }
}

export class UploadChecksumMismatchError extends UploadError {
  constructor(
    remotePath: string,
    readonly expectedSha256: string,
    readonly actualSha256: string,
    context: EsxiErrorContext,
  ) {
    super(
      remotePath,
      `sha256 on the host is ${actualSha256}, expected ${expectedSha256}; the file is corrupt, upload it again`,
      context,
    );
  }
}

/** A wrapper was called with a value it will not send (relative path, bad VM id, ...). */
export class InvalidArgumentError extends EsxiError {
  constructor(detail: string, context: EsxiErrorContext) {
    super(`Refused to send a command to ${context.host}: ${detail}`, context);
  }
}

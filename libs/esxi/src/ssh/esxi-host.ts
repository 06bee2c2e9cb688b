import { ConnectionLostError, InvalidTargetError } from '../esxi-errors';
import { normaliseFingerprint } from '../host-key-fingerprint';
import { maskArgv, maskSecrets } from '../secret-mask';
import { shellQuote } from '../shell-quote';
import { type ConnectionSettings, type EsxiHostTarget, hostLabel } from './esxi-host-target';
import { uploadWithChecksum, type UploadOptions, type UploadResult } from './sftp-upload';
import { type ConnectParams, type ExecOptions, type ExecResult, SshConnection } from './ssh-connection';

export interface CommandResult extends ExecResult {
  /** The shell line that was sent, for logs and errors, with `secrets` masked as `***`. */
  readonly command: string;
}

export interface HostKeyInfo {
  /** Fingerprint of the key the host presented (`SHA256:...`). */
  readonly fingerprint: string;
  /** True when no fingerprint was pinned and the key was trusted because first contact was allowed. */
  readonly firstContact: boolean;
}

export interface EsxiHostHooks {
  /** Called once when a first-contact key is trusted, so the caller can pin it. */
  readonly onFirstContact?: (host: EsxiHost, fingerprint: string) => void;
}

/**
 * One ESXi host reached over one reused SSH connection, opened on first use and again on the
 * next use after it was closed (idle) or dropped. Get it from `EsxiHostPool.get()`.
 */
export class EsxiHost {
  /** `address:port`, as used in every error. */
  readonly label: string;
  private connection: SshConnection | undefined;
  private opening: Promise<SshConnection> | undefined;
  private learnedFingerprint: string | undefined;

  constructor(
    readonly target: EsxiHostTarget,
    readonly settings: ConnectionSettings,
    private readonly hooks: EsxiHostHooks = {},
  ) {
    this.label = hostLabel(target);
  }

  /** The pinned fingerprint, or the one learned at first contact. */
  get fingerprint(): string | undefined {
    return this.learnedFingerprint ?? this.target.fingerprint;
  }

  /** True while an SSH connection is open (it may still be closed by idle time). */
  get connected(): boolean {
    return this.connection !== undefined && !this.connection.closed;
  }

  /** Opens the connection now (or reuses it) and reports the host key. */
  async connect(): Promise<HostKeyInfo> {
    const connection = await this.ensureConnection();
    return { fingerprint: connection.fingerprint, firstContact: this.target.fingerprint === undefined };
  }

  /**
   * Runs argv as one command (quoted by `shellQuote`). Resolves with any exit code; rejects only
   * when the outcome is unknown (timeout, no exit status, lost connection, output too large).
   */
  async exec(argv: readonly string[], given: ExecOptions = {}): Promise<CommandResult> {
    // A retry on a fresh connection (below) reuses the first beforeSend's outcome: a mark is made once.
    const options = given.beforeSend === undefined ? given : { ...given, beforeSend: once(given.beforeSend) };
    const command = shellQuote(argv);
    // What results and errors quote: the same line with options.secrets masked.
    const shown = options.secrets?.length ? shellQuote(maskArgv(argv, options.secrets)) : command;
    const masked = (result: ExecResult): CommandResult => ({
      ...result,
      command: shown,
      stdout: maskSecrets(result.stdout, options.secrets),
      stderr: maskSecrets(result.stderr, options.secrets),
    });
    const reused = this.connected;
    const connection = await this.ensureConnection();
    try {
      return masked(await connection.exec(command, options, shown));
    } catch (err) {
      // A reused connection may have died unnoticed; if the command never started, one retry
      // on a fresh connection is safe.
      if (reused && err instanceof ConnectionLostError && !err.commandMayHaveRun) {
        const fresh = await this.ensureConnection();
        return masked(await fresh.exec(command, options, shown));
      }
      throw err;
    }
  }

  /** SFTP upload followed by `sha256sum` on the host; see `uploadWithChecksum`. */
  async upload(localPath: string, remotePath: string, options: UploadOptions = {}): Promise<UploadResult> {
    const connection = await this.ensureConnection();
    return uploadWithChecksum(
      {
        label: this.label,
        withSftp: (work) => connection.withSftp(work),
        exec: (argv, execOptions) => this.exec(argv, execOptions),
      },
      localPath,
      remotePath,
      { timeoutMs: this.settings.uploadTimeoutMs, ...options },
    );
  }

  /** Closes now, interrupting running commands. */
  close(): void {
    this.connection?.close();
    this.connection = undefined;
  }

  /** Closes once running commands have finished. */
  closeWhenIdle(): void {
    this.connection?.closeWhenIdle();
    this.connection = undefined;
  }

  private ensureConnection(): Promise<SshConnection> {
    if (this.connection && !this.connection.closed) return Promise.resolve(this.connection);
    this.opening ??= this.open().finally(() => {
      this.opening = undefined;
    });
    return this.opening;
  }

  private async open(): Promise<SshConnection> {
    const params = this.connectParams();
    const connection = await SshConnection.open(params, this.settings);
    if (params.fingerprint === undefined) {
      this.learnedFingerprint = connection.fingerprint;
      this.hooks.onFirstContact?.(this, connection.fingerprint);
    }
    this.connection = connection;
    connection.onClose(() => {
      if (this.connection === connection) this.connection = undefined;
    });
    return connection;
  }

  private connectParams(): ConnectParams {
    let fingerprint: string | undefined;
    try {
      const pinned = this.learnedFingerprint ?? this.target.fingerprint;
      fingerprint = pinned === undefined ? undefined : normaliseFingerprint(pinned);
    } catch (err) {
      throw new InvalidTargetError(err instanceof Error ? err.message : String(err), { host: this.label, cause: err });
    }
    return {
      label: this.label,
      address: this.target.address,
      port: this.target.port ?? 22,
      username: this.target.username,
      auth: this.target.auth,
      fingerprint,
      allowFirstContact: this.target.allowFirstContact === true,
    };
  }
}

/** `fn` called at most once: later calls get the first call's promise. */
function once(fn: () => Promise<void>): () => Promise<void> {
  let called: Promise<void> | undefined;
  return () => (called ??= fn());
}

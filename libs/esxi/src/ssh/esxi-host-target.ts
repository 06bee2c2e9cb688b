/** How to log in. ESXi's sshd offers root keyboard-interactive by default; password covers both. */
export type EsxiAuth =
  | { readonly kind: 'password'; readonly password: string }
  | { readonly kind: 'privateKey'; readonly privateKey: string | Buffer; readonly passphrase?: string };

/** One ESXi host as the caller knows it. */
export interface EsxiHostTarget {
  readonly address: string;
  /** Defaults to 22. */
  readonly port?: number;
  readonly username: string;
  readonly auth: EsxiAuth;
  /** Pinned host key, OpenSSH style `SHA256:...`. */
  readonly fingerprint?: string;
  /**
   * Trust whatever key the host presents when no fingerprint is pinned (first contact).
   * The presented fingerprint is then reported through `EsxiHost.connect()` and
   * `onFirstContact`, and pinned for the life of this host object.
   */
  readonly allowFirstContact?: boolean;
}

/** Timings and limits of SSH sessions; every field has a default (see `DEFAULT_CONNECTION_SETTINGS`). */
export interface ConnectionSettings {
  /** TCP connect + SSH handshake + authentication. */
  readonly connectTimeoutMs: number;
  /** Default per-command timeout; each call may override it. */
  readonly commandTimeoutMs: number;
  /** A connection with no channel in use for this long is closed. */
  readonly idleTimeoutMs: number;
  readonly keepaliveIntervalMs: number;
  /** Unanswered keep-alives before the connection counts as dead. */
  readonly keepaliveCountMax: number;
  /** ESXi's sshd allows about 10 sessions per connection; further calls wait in line. */
  readonly maxChannelsPerConnection: number;
  /** Per stream (stdout and stderr each); beyond it the command is stopped. */
  readonly maxOutputBytes: number;
  /** Upload: SFTP transfer + checksum. */
  readonly uploadTimeoutMs: number;
  /**
   * One-line commands go through a command loop (one shell per connection reading them from its
   * stdin, see CommandLoop) instead of an exec channel each; false: always an exec channel.
   */
  readonly commandLoop: boolean;
}

export const DEFAULT_CONNECTION_SETTINGS: ConnectionSettings = {
  connectTimeoutMs: 15_000,
  commandTimeoutMs: 60_000,
  idleTimeoutMs: 5 * 60_000,
  keepaliveIntervalMs: 15_000,
  keepaliveCountMax: 3,
  maxChannelsPerConnection: 8,
  maxOutputBytes: 4 * 1024 * 1024,
  uploadTimeoutMs: 10 * 60_000,
  commandLoop: true,
};

export function hostLabel(target: Pick<EsxiHostTarget, 'address' | 'port'>): string {
  const port = target.port ?? 22;
  return target.address.includes(':') ? `[${target.address}]:${port}` : `${target.address}:${port}`;
}

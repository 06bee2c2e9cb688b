/** Options shared by NutClient and NutSession, with their defaults. */

/**
 * STARTTLS policy.
 * - `off`: never send STARTTLS.
 * - `opportunistic`: use TLS when the server offers it, stay in plaintext when it does not.
 *   Without `ca`/`fingerprint256` the server is not authenticated (encryption only); with them
 *   a wrong certificate fails the connection.
 * - `required`: fail unless TLS is up and the certificate verifies (against `ca`, or the system
 *   CAs when neither `ca` nor `fingerprint256` is set) or matches `fingerprint256`.
 */
export type NutTlsMode = 'off' | 'opportunistic' | 'required';

export interface NutTlsOptions {
  mode: NutTlsMode;
  /** Trusted CA (or self-signed server certificate) in PEM; the server name is checked too. */
  ca?: string | Buffer;
  /**
   * Pinned SHA-256 fingerprint of the server certificate (hex, with or without colons, any case).
   * When set without `ca`, the pin alone authenticates the server (no name or chain check).
   */
  fingerprint256?: string;
  /** Name expected in the certificate and sent as SNI; defaults to `host` unless it is an IP. */
  servername?: string;
}

export interface NutConnectOptions {
  host: string;
  /** Default 3493. */
  port?: number;
  /** Timeout of every request, in ms. Default 5000 (as upsclient). */
  timeoutMs?: number;
  /** Timeout of the TCP connect and of the TLS handshake, in ms. Default: `timeoutMs`. */
  connectTimeoutMs?: number;
  /** Longest accepted reply line, in bytes. upsd never sends more than 511. Default 4096. */
  maxLineLength?: number;
  /** Largest accepted LIST reply, in bytes (all rows). Default 1 MiB. */
  maxListBytes?: number;
  /** Most rows accepted in one LIST reply. Default 10000. */
  maxListRows?: number;
  /** Default `{ mode: 'off' }`. */
  tls?: NutTlsOptions;
}

export interface ResolvedNutConnectOptions {
  host: string;
  port: number;
  timeoutMs: number;
  connectTimeoutMs: number;
  maxLineLength: number;
  maxListBytes: number;
  maxListRows: number;
  tls: NutTlsOptions;
}

export const NUT_DEFAULT_PORT = 3493;

export function resolveNutConnectOptions(options: NutConnectOptions): ResolvedNutConnectOptions {
  const timeoutMs = options.timeoutMs ?? 5000;
  return {
    host: options.host,
    port: options.port ?? NUT_DEFAULT_PORT,
    timeoutMs,
    connectTimeoutMs: options.connectTimeoutMs ?? timeoutMs,
    maxLineLength: options.maxLineLength ?? 4096,
    maxListBytes: options.maxListBytes ?? 1024 * 1024,
    maxListRows: options.maxListRows ?? 10000,
    tls: options.tls ?? { mode: 'off' },
  };
}

/** `host:port`, with brackets for IPv6. */
export function formatNutServer(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

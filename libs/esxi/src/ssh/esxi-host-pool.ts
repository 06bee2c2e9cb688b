import {
  type ConnectionSettings,
  DEFAULT_CONNECTION_SETTINGS,
  type EsxiHostTarget,
  hostLabel,
} from './esxi-host-target';
import { EsxiHost, type EsxiHostHooks } from './esxi-host';

/**
 * Hands out one `EsxiHost` (hence one reused SSH connection) per address, port and user.
 * Asking again with changed credentials or fingerprint retires the old host once its running
 * commands finish, so a rotated password or re-pinned key takes effect on the next call.
 */
export class EsxiHostPool {
  readonly settings: ConnectionSettings;
  private readonly hosts = new Map<string, EsxiHost>();

  constructor(
    settings: Partial<ConnectionSettings> = {},
    private readonly hooks: EsxiHostHooks = {},
  ) {
    this.settings = { ...DEFAULT_CONNECTION_SETTINGS, ...settings };
  }

  get(target: EsxiHostTarget): EsxiHost {
    const key = `${target.username}@${hostLabel(target)}`;
    const existing = this.hosts.get(key);
    if (existing && sameTarget(existing.target, target, existing.fingerprint)) return existing;
    existing?.closeWhenIdle();
    const host = new EsxiHost(target, this.settings, this.hooks);
    this.hosts.set(key, host);
    return host;
  }

  /** Number of hosts with an open connection. */
  get openConnections(): number {
    let count = 0;
    for (const host of this.hosts.values()) if (host.connected) count += 1;
    return count;
  }

  /** Closes every connection; the pool stays usable and reconnects on the next call. */
  closeAll(): void {
    for (const host of this.hosts.values()) host.close();
    this.hosts.clear();
  }
}

// `learned` lets a caller that has just stored a first-contact fingerprint keep the same host.
function sameTarget(a: EsxiHostTarget, b: EsxiHostTarget, learned: string | undefined): boolean {
  const samePin = a.fingerprint === b.fingerprint || (b.fingerprint !== undefined && b.fingerprint === learned);
  if (!samePin) return false;
  if (a.fingerprint === b.fingerprint && (a.allowFirstContact === true) !== (b.allowFirstContact === true))
    return false;
  if (a.auth.kind === 'password' && b.auth.kind === 'password') return a.auth.password === b.auth.password;
  if (a.auth.kind === 'privateKey' && b.auth.kind === 'privateKey') {
    return a.auth.passphrase === b.auth.passphrase && keyText(a.auth.privateKey) === keyText(b.auth.privateKey);
  }
  return false;
}

function keyText(key: string | Buffer): string {
  return typeof key === 'string' ? key : key.toString('utf8');
}

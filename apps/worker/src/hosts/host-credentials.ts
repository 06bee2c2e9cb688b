import { type EsxiAuth } from '@nutfleet/esxi';
import { openSecret, SecretDecryptionError } from '@nutfleet/db';

import { HostCredentialsError } from './host-connector.errors';

/** The columns of a Host row that hold its sealed credentials. */
export interface SealedHostCredentials {
  readonly id: string;
  readonly name: string;
  readonly passwordEnc: string | null;
  readonly privateKeyEnc: string | null;
}

/**
 * Opens a host's sealed credentials (contexts `host:<id>:privateKey` / `host:<id>:password`).
 * A private key wins over a password when both are stored. The result lives only in memory of
 * the worker: never log it, never put it in job data.
 */
export function openHostAuth(host: SealedHostCredentials, keys: readonly Buffer[]): EsxiAuth {
  try {
    if (host.privateKeyEnc !== null)
      return { kind: 'privateKey', privateKey: openSecret(host.privateKeyEnc, keys, `host:${host.id}:privateKey`) };
    if (host.passwordEnc !== null)
      return { kind: 'password', password: openSecret(host.passwordEnc, keys, `host:${host.id}:password`) };
  } catch (error) {
    if (error instanceof SecretDecryptionError)
      throw new HostCredentialsError(host.id, host.name, `${error.message}; store them again if needed`, {
        cause: error,
      });
    throw error;
  }
  throw new HostCredentialsError(host.id, host.name, 'no password or private key is stored; set one first');
}

import { UnknownHostKeyError } from '../esxi-errors';
import { EsxiHost } from './esxi-host';
import { DEFAULT_CONNECTION_SETTINGS } from './esxi-host-target';

/**
 * The fingerprint of the key the SSH server at address:port presents, like `ssh-keyscan`, or
 * undefined when no SSH server completed the key exchange in time. The connection pins no key
 * and does not allow first contact, so the host verifier rejects the key during the handshake,
 * before user authentication: no credential is sent, no channel opened, no command run.
 */
export async function scanPresentedFingerprint(
  address: string,
  port: number,
  timeoutMs: number,
): Promise<{ readonly fingerprint: string } | { readonly fingerprint: undefined; readonly failure: unknown }> {
  const probe = new EsxiHost(
    // The protocol's first message needs a user name; there is no password or key to send.
    { address, port, username: 'nutfleet-keyscan', auth: { kind: 'password', password: '' } },
    { ...DEFAULT_CONNECTION_SETTINGS, connectTimeoutMs: timeoutMs },
  );
  try {
    await probe.connect();
    // The verifier cannot accept an unpinned key without first contact: reaching here is a bug.
    return { fingerprint: undefined, failure: new Error('the key scan was accepted without a pinned key') };
  } catch (error) {
    if (error instanceof UnknownHostKeyError) return { fingerprint: error.presentedFingerprint };
    return { fingerprint: undefined, failure: error };
  } finally {
    probe.close();
  }
}

import { Injectable } from '@nestjs/common';

import { DEFAULT_CONNECTION_SETTINGS, EsxiError, EsxiHost, UnknownHostKeyError } from '@nutfleet/esxi';

/** The host could not be reached for its key (down, SSH disabled, not an SSH server). */
export class HostKeyScanError extends Error {
  public constructor(
    public readonly hostName: string,
    detail: string,
    options?: { cause?: unknown },
  ) {
    super(`Could not read the host key of ${hostName}: ${detail}`, options);
    this.name = 'HostKeyScanError';
  }
}

const SCAN_TIMEOUT_MS = 10_000;

/**
 * Reads the key a host presents, like `ssh-keyscan`: the SSH key exchange only. The connection
 * is made with no pinned key and first contact *not* allowed, so libs/esxi's host verifier
 * rejects the key during the handshake — before user authentication — and reports it in
 * `UnknownHostKeyError`. No credential is ever sent to the unverified host, no channel is
 * opened and no command runs. (This is why it can run in the orchestrator, which otherwise never
 * opens SSH sessions: nothing here is a session.)
 */
@Injectable()
export class HostKeyScanner {
  public async presentedFingerprint(target: {
    readonly name: string;
    readonly address: string;
    readonly port: number;
  }): Promise<string> {
    const probe = new EsxiHost(
      // The username is required by the protocol's first message; no password or key exists here.
      {
        address: target.address,
        port: target.port,
        username: 'nutfleet-keyscan',
        auth: { kind: 'password', password: '' },
      },
      { ...DEFAULT_CONNECTION_SETTINGS, connectTimeoutMs: SCAN_TIMEOUT_MS },
    );
    try {
      await probe.connect();
    } catch (error) {
      if (error instanceof UnknownHostKeyError) return error.presentedFingerprint;
      const detail = error instanceof EsxiError ? error.message : String(error);
      throw new HostKeyScanError(target.name, detail, { cause: error });
    } finally {
      probe.close();
    }
    // The verifier cannot accept an unpinned key without first contact; reaching here is a bug.
    throw new HostKeyScanError(target.name, 'the handshake unexpectedly succeeded without a pinned key');
  }
}

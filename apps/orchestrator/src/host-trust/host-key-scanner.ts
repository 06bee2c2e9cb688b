import { Injectable } from '@nestjs/common';

import { TargetNetworks } from '@nutfleet/config';
import { scanPresentedFingerprint } from '@nutfleet/esxi';

/**
 * No SSH server answered: down, filtered, SSH disabled, or another service. One message for all,
 * never what the other side sent, so the scan cannot be used to map the network.
 */
export class HostKeyScanError extends Error {
  public constructor(hostName: string, address: string, options?: { cause?: unknown }) {
    super(
      `Could not read the host key of ${hostName}: no SSH server answered at ${address} (nothing listens there, ` +
        'it did not answer in time, or it is not an SSH server); check the address, the SSH port and that SSH is enabled on the host.',
      options,
    );
    this.name = 'HostKeyScanError';
  }
}

const SCAN_TIMEOUT_MS = 5000;
/** Every failed scan answers this long after it started: refused, silent and non-SSH ports look alike. */
export const SCAN_FAILURE_ANSWER_MS = SCAN_TIMEOUT_MS + 500;

/**
 * Reads the key a host presents, like `ssh-keyscan`: the SSH key exchange only
 * (libs/esxi scanPresentedFingerprint). No credential is ever sent to the unverified host, no
 * channel is opened and no command runs. (This is why it can run in the orchestrator, which
 * otherwise never opens SSH sessions: nothing here is a session.) The address must be inside
 * ALLOWED_TARGET_NETWORKS when that is set (TargetNotAllowedError, before any packet).
 */
@Injectable()
export class HostKeyScanner {
  public constructor(private readonly targets: TargetNetworks) {}

  public async presentedFingerprint(target: {
    readonly name: string;
    readonly address: string;
    readonly port: number;
  }): Promise<string> {
    const connectTo = await this.targets.resolveAllowed(target.address);
    const started = Date.now();
    const scan = await scanPresentedFingerprint(connectTo, target.port, SCAN_TIMEOUT_MS);
    if (scan.fingerprint !== undefined) return scan.fingerprint;
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, started + SCAN_FAILURE_ANSWER_MS - Date.now())));
    throw new HostKeyScanError(target.name, `${target.address}:${target.port}`, { cause: scan.failure });
  }
}

/**
 * Failures of a host deployment. Each names the host and the step, says what to do (`remedy`)
 * and whether trying again unchanged can help (`retryable`); the underlying `EsxiError` (host key
 * mismatch, authentication, esxcli error...) is kept as `cause`.
 */
import { EsxiError } from '@nutfleet/esxi';
import { type DeployStepName } from './deploy.types';

export class DeployError extends Error {
  readonly retryable: boolean;
  constructor(
    readonly host: string,
    readonly step: DeployStepName,
    detail: string,
    readonly remedy: string,
    options: { cause?: unknown; retryable?: boolean } = {},
  ) {
    super(
      `${host}: ${step} failed: ${detail}${remedy ? ` — ${remedy}` : ''}`,
      options.cause === undefined ? undefined : { cause: options.cause },
    );
    this.name = new.target.name;
    this.retryable = options.retryable ?? false;
  }
}

/** UEFI Secure Boot is on: a CommunitySupported, unsigned VIB cannot be installed. */
export class SecureBootBlocksInstallError extends DeployError {
  constructor(host: string, cause?: unknown) {
    super(
      host,
      'preflight',
      'UEFI Secure Boot is enabled, so ESXi refuses the CommunitySupported acceptance level the NutClient VIB needs',
      'disable Secure Boot in the host firmware (UEFI setup) and retry, or exclude this host from the rollout',
      { cause },
    );
  }
}

/** The host's acceptance level is stricter than the VIB's and the rollout may not change it. */
export class AcceptanceLevelBlocksInstallError extends DeployError {
  constructor(host: string, hostLevel: string, needed: string, detail?: string, cause?: unknown) {
    super(
      host,
      'preflight',
      `host acceptance level is ${hostLevel}, the VIB needs ${needed}${detail ? ` (${detail})` : ''}`,
      `allow the acceptance level change in the rollout, or run "esxcli software acceptance set --level=${needed}" on the host`,
      { cause },
    );
  }
}

export class UnsupportedEsxiVersionError extends DeployError {
  constructor(host: string, version: string) {
    super(
      host,
      'preflight',
      `ESXi ${version} is not supported (6.0 or later is needed)`,
      'install NutClient by hand with the tar.gz "old way" on ESXi 5.x, or upgrade the host',
    );
  }
}

/** ESXi 8+ refuses payloads without a sha-256 checksum of the gunzipped tar. */
export class PayloadChecksumRequiredError extends DeployError {
  constructor(host: string, esxiVersion: string, vibId: string, cause?: unknown) {
    super(
      host,
      'preflight',
      `ESXi ${esxiVersion} refuses ${vibId}: its payload has no sha-256 gunzip checksum`,
      'use a NutClient VIB built with that checksum (2.3.2 or later)',
      { cause },
    );
  }
}

export class NotInstalledError extends DeployError {
  constructor(host: string, vibName: string) {
    super(host, 'preflight', `the ${vibName} VIB is not installed`, 'run an install rollout first');
  }
}

/** After the change, the host is not in the expected state. */
export class DeployVerificationError extends DeployError {
  constructor(host: string, detail: string, remedy: string, cause?: unknown) {
    super(host, 'verify', detail, remedy, { cause, retryable: true });
  }
}

/** Anything else a step hit: an SSH, upload or esxcli failure, kept as `cause`. */
export class DeployStepFailedError extends DeployError {
  constructor(host: string, step: DeployStepName, cause: unknown) {
    const message = cause instanceof Error ? cause.message : String(cause);
    super(host, step, message, cause instanceof EsxiError ? remedyFor(cause) : '', {
      cause,
      retryable: cause instanceof EsxiError ? cause.retryable : false,
    });
  }
}

function remedyFor(err: EsxiError): string {
  switch (err.name) {
    case 'HostKeyMismatchError':
      return 'verify the new key on the host console, then re-pin the fingerprint; do not deploy until then';
    case 'AuthenticationError':
      return 'fix the SSH credentials stored for the host';
    case 'NoSpaceLeftError':
      return 'free space on the host (/tmp) or choose a datastore as upload directory, then resume: the upload restarts';
    default:
      return err.retryable ? 'retry the rollout for this host; completed steps are not repeated' : '';
  }
}

/**
 * Why the connector refused to act on a host. None is retryable: each needs an operator (or the
 * inventory) to change something first, and each message says what.
 */
export class HostAccessError extends Error {
  /** Same meaning as `EsxiError.retryable`, so job handlers treat both alike. */
  public readonly retryable = false;

  public constructor(
    message: string,
    public readonly hostId: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

export class HostNotFoundError extends HostAccessError {
  public constructor(hostId: string) {
    super(`Host ${hostId} does not exist (deleted since the job was queued?).`, hostId);
  }
}

/** UNTRUSTED (never pinned) or MISMATCH (blocked after a changed key). */
export class HostNotTrustedError extends HostAccessError {
  public constructor(
    hostId: string,
    hostName: string,
    public readonly trustState: string,
  ) {
    super(
      trustState === 'MISMATCH'
        ? `Host ${hostName} is blocked: it presented a host key other than the pinned one. Check the key on its ` +
            `console, then re-trust it (POST /hosts/${hostId}/trust, then /trust/accept).`
        : `Host ${hostName} has no trusted host key yet: fetch it with POST /hosts/${hostId}/trust and accept it ` +
            `with POST /hosts/${hostId}/trust/accept.`,
      hostId,
    );
  }
}

export class HostCredentialsError extends HostAccessError {
  public constructor(hostId: string, hostName: string, detail: string, options?: { cause?: unknown }) {
    super(`Credentials of host ${hostName} cannot be used: ${detail}`, hostId, options);
  }
}

/** The host's address is outside ALLOWED_TARGET_NETWORKS (or resolves outside it): nothing was sent. */
export class HostTargetNotAllowedError extends HostAccessError {
  public constructor(hostId: string, hostName: string, detail: string) {
    super(`Host ${hostName} is not contacted: ${detail}`, hostId);
  }
}

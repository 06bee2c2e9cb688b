export type MacAddressErrorReason =
  'empty' | 'bad-format' | 'wrong-length' | 'non-hex' | 'broadcast' | 'zero' | 'multicast';

/** A MAC address that cannot wake anything, with the reason as a code a caller can switch on. */
export class MacAddressError extends Error {
  override readonly name = 'MacAddressError';

  constructor(
    readonly input: string,
    readonly reason: MacAddressErrorReason,
    detail: string,
  ) {
    super(`invalid MAC address "${input}": ${detail}`);
  }
}

export type SecureOnPasswordErrorReason = 'wrong-length' | 'non-hex' | 'bad-format';

export class SecureOnPasswordError extends Error {
  override readonly name = 'SecureOnPasswordError';

  constructor(
    readonly reason: SecureOnPasswordErrorReason,
    detail: string,
  ) {
    // The password itself stays out of the message: it is a secret.
    super(`invalid SecureOn password: ${detail}`);
  }
}

export type WakeOnLanOptionErrorField = 'broadcastAddress' | 'port' | 'count' | 'intervalMs';

export class WakeOnLanOptionError extends Error {
  override readonly name = 'WakeOnLanOptionError';

  constructor(
    readonly field: WakeOnLanOptionErrorField,
    readonly reason: string,
  ) {
    super(`${field}: ${reason}`);
  }
}

/** The socket failed (bind, send); `cause` holds the node error. */
export class WakeOnLanSendError extends Error {
  override readonly name = 'WakeOnLanSendError';

  constructor(message: string, options: { cause: unknown }) {
    super(message, options);
  }
}

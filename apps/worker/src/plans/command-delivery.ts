import { AuthenticationError, ConnectionError, ConnectionLostError, ConnectTimeoutError } from '@nutfleet/esxi';

/** The command cannot have reached the host: no session, or the session died before it started. */
export function neverDelivered(error: unknown): boolean {
  return (
    error instanceof ConnectionError ||
    error instanceof ConnectTimeoutError ||
    error instanceof AuthenticationError ||
    (error instanceof ConnectionLostError && !error.commandMayHaveRun)
  );
}

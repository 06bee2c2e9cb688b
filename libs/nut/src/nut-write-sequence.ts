/**
 * Runs an ordered list of SET VAR / INSTCMD requests on one UPS, with TRACKING where the server
 * has it, and proves an account's SET right without changing anything.
 */
import { type NutClient } from './nut-client';
import { NutAccessDeniedError, NutVarNotSupportedError } from './nut-errors';
import { type NutTrackingStatus } from './nut-reply.parser';

export type NutWriteCommand =
  | { readonly kind: 'set-var'; readonly name: string; readonly value: string }
  | { readonly kind: 'instcmd'; readonly command: string; readonly param?: string };

export interface NutWriteResult {
  readonly request: NutWriteCommand;
  /**
   * What the driver said through TRACKING (`SUCCESS`, `FAILED`, `UNKNOWN`…, or `PENDING` when
   * it did not answer in time); `UNTRACKED` when the server has no tracking: `OK` then only
   * means "handed to the driver".
   */
  readonly outcome: NutTrackingStatus | 'UNTRACKED';
}

export interface NutWriteSequenceOptions {
  /** How long to wait for each tracked result (default 10 s). */
  readonly trackingTimeoutMs?: number;
  /** Called right before each request is written (so the caller can record "sent"). */
  readonly onSend?: (request: NutWriteCommand) => void | Promise<void>;
}

/** `SET VAR` / `INSTCMD` label for events and errors. */
export function describeNutWrite(request: NutWriteCommand): string {
  return request.kind === 'set-var'
    ? `SET VAR ${request.name}=${request.value}`
    : `INSTCMD ${request.command}${request.param === undefined ? '' : ` ${request.param}`}`;
}

/**
 * Sends the requests in order on an authenticated client. A refusal (a typed NutServerError such
 * as NutCmdNotSupportedError or NutAccessDeniedError) stops the sequence and is thrown: nothing
 * after it is sent. TRACKING is turned on first where the server has it.
 */
export async function runNutWriteSequence(
  client: NutClient,
  ups: string,
  requests: readonly NutWriteCommand[],
  options: NutWriteSequenceOptions = {},
): Promise<NutWriteResult[]> {
  const tracking = await client.enableTracking();
  const results: NutWriteResult[] = [];
  for (const request of requests) {
    await options.onSend?.(request);
    const ack =
      request.kind === 'set-var'
        ? await client.setVar(ups, request.name, request.value)
        : await client.instCmd(ups, request.command, request.param);
    const outcome =
      !tracking || ack.trackingId === null
        ? 'UNTRACKED'
        : await client.waitForTracking(ack.trackingId, { timeoutMs: options.trackingTimeoutMs ?? 10_000 });
    results.push({ request, outcome });
  }
  return results;
}

/**
 * Proves, without changing anything, that the authenticated account may SET on this UPS (and so
 * that its password is right): upsd checks the account before the variable, so writing a
 * variable that cannot exist answers ACCESS-DENIED for a wrong password or a missing
 * `actions = SET`, and VAR-NOT-SUPPORTED otherwise. The INSTCMD right cannot be proven this
 * way (upsd checks the command exists first), so this says nothing about `instcmds`.
 */
export async function probeSetRight(client: NutClient, ups: string): Promise<boolean> {
  try {
    await client.setVar(ups, 'nutfleet.access.probe', '0');
  } catch (error) {
    if (error instanceof NutVarNotSupportedError) return true;
    if (error instanceof NutAccessDeniedError) return false;
    throw error;
  }
  // A server that accepted it has such a variable writable: the right is proven all the same.
  return true;
}

import { type RestartHostProgress } from '@nutfleet/power';

/** The parts of a restart plan's step rows the gate needs. */
export interface RestartStepRecord {
  readonly hostId: string | null;
  readonly action: string;
  readonly state: string;
  readonly startedAt: number | null;
  readonly finishedAt: number | null;
}

const GAVE_UP = new Set(['FAILED', 'CANCELLED']);

/**
 * Where each host of the plan stands, from its step rows: woken when its magic packets went
 * out (the wake step finished), verified when ESXi answered, failed when the wake, the SSH wait
 * or the verification failed (the host was reported; it does not hold later waves).
 */
export function restartHostProgress(
  hostIds: readonly string[],
  steps: readonly RestartStepRecord[],
): RestartHostProgress[] {
  return hostIds.map((hostId) => {
    const of = (action: string): RestartStepRecord | undefined =>
      steps.find((s) => s.hostId === hostId && s.action === action);
    const wake = of('wake');
    const wokenAt = wake?.state === 'SUCCEEDED' ? (wake.finishedAt ?? wake.startedAt ?? undefined) : undefined;
    const verify = of('verify-esxi');
    const failed = [wake, of('wait-ssh'), verify].some((s) => s !== undefined && GAVE_UP.has(s.state));
    const state =
      verify?.state === 'SUCCEEDED' ? 'verified' : failed ? 'failed' : wokenAt !== undefined ? 'waking' : 'pending';
    return { hostId, state, ...(wokenAt !== undefined ? { wokenAt } : {}) };
  });
}

/**
 * What makes a gate decision worth a new timeline entry: the wave, open or not, and each closed
 * gate's reasons with their numbers removed (a window counting down or a charge rising by one
 * percent is the same decision; a flap or a gate opening is a new one).
 */
export function gateDecisionSignature(result: {
  wave: number;
  open: boolean;
  checks: ReadonlyArray<{ gate: string; open: boolean; reasons: readonly string[] }>;
}): string {
  const closed = result.checks
    .filter((c) => !c.open)
    .map((c) => `${c.gate}:${c.reasons.map((r) => r.replace(/[\d.:TZ-]+/g, '#')).join('|')}`);
  return `${result.wave}/${result.open ? 'open' : 'closed'}/${closed.join(';')}`;
}

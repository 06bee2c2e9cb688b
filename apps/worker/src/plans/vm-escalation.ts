import { type VmActionRung } from '@nutfleet/power';

/** How one rung of a VM's ladder ended. */
export type RungOutcome =
  /** The VM reached a stopped state (off or suspended). */
  | 'stopped'
  /** The command was accepted but the VM did not stop within the rung's timeout. */
  | 'timed-out'
  /** The host refused the action outright (no Tools for a guest shutdown, a vim fault). */
  | 'refused';

export type EscalationStep =
  | { readonly kind: 'done' }
  | { readonly kind: 'next'; readonly rungIndex: number; readonly rung: VmActionRung }
  | { readonly kind: 'exhausted'; readonly reason: string };

/**
 * What to do after a rung: stop when the VM is down; otherwise go one rung down the ladder
 * (guest shutdown → suspend → power off, as the plan builder laid it out); when the last rung
 * fails too, the step fails and the host's `poweroff` (which runs after the batch deadline)
 * still takes the VM down with it.
 */
export function afterRung(ladder: readonly VmActionRung[], rungIndex: number, outcome: RungOutcome): EscalationStep {
  if (outcome === 'stopped') return { kind: 'done' };
  const next = ladder[rungIndex + 1];
  if (next === undefined) {
    const last = ladder[rungIndex];
    return {
      kind: 'exhausted',
      reason: `${last?.action ?? 'last action'} ${outcome === 'refused' ? 'was refused' : `did not stop the VM within ${last?.timeoutSeconds ?? '?'} s`} and no action is left; the host power-off will stop it`,
    };
  }
  return { kind: 'next', rungIndex: rungIndex + 1, rung: next };
}

/** A VM counts as stopped once it is off or suspended (both free the host to power off). */
export function isStopped(powerState: 'on' | 'off' | 'suspended'): boolean {
  return powerState !== 'on';
}

/** Seconds left on a rung resumed after a crash (never negative). */
export function remainingRungMs(rung: VmActionRung, rungStartedAt: number, now: number): number {
  return Math.max(0, rungStartedAt + rung.timeoutSeconds * 1000 - now);
}

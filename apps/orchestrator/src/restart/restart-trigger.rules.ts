/** Dedup key of the automatic restart after a shutdown plan (n > 1: resumed after a pause). */
export function restartDedupKey(shutdownPlanId: string, n: number): string {
  return n <= 1 ? `restart-after-${shutdownPlanId}` : `restart-after-${shutdownPlanId}-resume-${n}`;
}

export interface PreviousRestart {
  readonly state: string;
  readonly pausedByPowerAt: number | null;
}

/**
 * Whether an automatic restart plan is due after a finished shutdown whose outage is over:
 * yes when none was made yet, or when the last one was paused by power failing again and power
 * has been back since (the new plan resumes it). An operator's cancel is final.
 */
export function restartDue(previous: PreviousRestart | undefined, onLineSince: number | undefined): boolean {
  if (previous === undefined) return true;
  if (previous.state !== 'CANCELLED' || previous.pausedByPowerAt === null) return false;
  return onLineSince !== undefined && onLineSince > previous.pausedByPowerAt;
}

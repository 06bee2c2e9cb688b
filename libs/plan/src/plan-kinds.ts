import { type Plan } from '@nutfleet/db';

/** The plan columns' enums, named once (they are Prisma's, as string unions). */
export type PlanKind = Plan['kind'];
export type PlanMode = Plan['mode'];
export type PlanState = Plan['state'];

/** A plan still moving: the advancer and reconcilers work on these. */
export const UNFINISHED_PLAN_STATES: readonly PlanState[] = ['PENDING', 'RUNNING'];

export function isUnfinishedPlan(state: PlanState): boolean {
  return UNFINISHED_PLAN_STATES.includes(state);
}

/** `Plan.createdBy` of the plans the power monitor's planners make (always ARMED). */
export const AUTOMATIC_PLAN_CREATOR = 'power-monitor';

export const PLAN_KINDS: readonly PlanKind[] = ['SHUTDOWN', 'RESTART', 'ROLLOUT'];

export function isPlanKind(value: unknown): value is PlanKind {
  return typeof value === 'string' && (PLAN_KINDS as readonly string[]).includes(value);
}

export const PLAN_STATES: readonly PlanState[] = ['PENDING', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED'];

export function isPlanState(value: unknown): value is PlanState {
  return typeof value === 'string' && (PLAN_STATES as readonly string[]).includes(value);
}

/**
 * `Plan.cancelledBy`: an operator's cancel is a decision later evaluations respect (the outage's
 * hosts are not planned again by themselves); the system's own cancel (power came back before
 * the point of no return, a restart paused by power failing again) disarms nothing.
 */
export function operatorCancel(actor: string): string {
  return `operator:${actor}`;
}

export function systemCancel(why: string): string {
  return `system:${why}`;
}

export function isOperatorCancel(cancelledBy: string | null | undefined): boolean {
  return cancelledBy?.startsWith('operator:') === true;
}

import { type Plan, type PlanStep } from '@nutfleet/db';

import { type HostAccessRow } from '../hosts/host-connector';

/**
 * A step this worker has just claimed (→ RUNNING), with what running it needs, all read by the
 * claim's own statement: the plan's kind and mode (not its large `detail`) and the host's access
 * row (null when the step has no host, or the host was deleted).
 */
export type ClaimedStep = PlanStep & {
  readonly plan: Pick<Plan, 'id' | 'kind' | 'mode'>;
  readonly host: HostAccessRow | null;
};

/** What to give HostSessions.withHost: the row the claim read, else the id (read again, or a clear "not found"). */
export function stepHost(step: ClaimedStep): HostAccessRow | string {
  return step.host ?? step.hostId ?? '';
}

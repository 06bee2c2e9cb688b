export class InvalidJobIdError extends Error {
  public constructor(message: string) {
    super(message);
    this.name = 'InvalidJobIdError';
  }
}

const PART = /^[A-Za-z0-9._-]+$/;

/**
 * The one way to build a job id: deterministic business parts joined by "-", e.g.
 * `jobId('plan', planId, 'step', stepKey)`. The same work always gets the same id, so adding it
 * twice while the first is still known to BullMQ is a no-op. BullMQ forbids ":" in ids and
 * treats all-digit ids as its own counters, so both are refused here.
 */
export function jobId(...parts: readonly (string | number)[]): string {
  if (parts.length === 0) throw new InvalidJobIdError('a job id needs at least one part');
  const text = parts.map(String);
  for (const part of text) {
    if (!PART.test(part))
      throw new InvalidJobIdError(
        `job id part ${JSON.stringify(part)} may only hold letters, digits, ".", "_" and "-"`,
      );
  }
  const id = text.join('-');
  if (/^\d+$/.test(id))
    throw new InvalidJobIdError(`job id ${id} is all digits, which BullMQ reserves for its own ids`);
  return id;
}

/**
 * The job id of a batch of plan steps queued together: the plan, the first step's key and the
 * advance that queued it (`advance`: any id unique to that advance). Each step is queued by one
 * advance only, so two advances running at once never share an id. Step keys use ":"
 * (`host:<id>:vm:<vmId>:stop`), which BullMQ forbids in ids, so it becomes "."; keys never
 * contain "." otherwise, so ids stay unique.
 */
export function planStepsJobId(planId: string, firstStepKey: string, advance: string): string {
  return jobId('plan', planId, 'steps', firstStepKey.replaceAll(':', '.'), advance);
}

/** Whether an id is one planStepsJobId builds (a step's `jobId` may also name a direct runner). */
export function isPlanStepsJobId(id: string, planId: string): boolean {
  return id.startsWith(`plan-${planId}-steps-`) && !id.includes(':');
}

/** The job id of one host's line in a discovery run: `discover-<runId>-<hostId>`. */
export function discoveryJobId(runId: string, hostId: string): string {
  return jobId('discover', runId, hostId);
}

/** The job id of one host's deployment in a rollout: one job per host and rollout plan. */
export function deployHostJobId(planId: string, hostId: string): string {
  return jobId('rollout', planId, 'host', hostId);
}

export function rolloutAdvanceJobId(planId: string): string {
  return jobId('rollout', planId, 'advance');
}

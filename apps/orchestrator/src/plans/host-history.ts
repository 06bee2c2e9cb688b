import { type HostPlanRow, stepInWords } from '@nutfleet/plan';

import { type HostPlanDto } from './host-history.dto';

/** Worst first; a skipped step (a VM already off) next to a success is a success. */
const RANK = ['FAILED', 'CANCELLED', 'RUNNING', 'QUEUED', 'PENDING', 'SUCCEEDED', 'SKIPPED'];
const iso = (d: Date | null): string | null => d?.toISOString() ?? null;

/** One plan as one host lived it: its steps in words and its worst outcome. */
export function hostPlanView(row: HostPlanRow): HostPlanDto {
  const states = row.steps.map((s) => s.state as string);
  return {
    planId: row.plan.id,
    kind: row.plan.kind,
    mode: row.plan.mode,
    planState: row.plan.state,
    reason: row.plan.reason,
    createdAt: row.plan.createdAt.toISOString(),
    result: RANK.find((state) => states.includes(state)) ?? states[0] ?? 'PENDING',
    steps: row.steps.map((s) => ({
      what: stepInWords(s),
      state: s.state,
      startedAt: iso(s.startedAt),
      finishedAt: iso(s.finishedAt),
      error: s.error,
    })),
  };
}

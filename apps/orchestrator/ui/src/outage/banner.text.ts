/**
 * What the outage banner says, from GET /outages/current and the running plans: pure, so the
 * wording is the same wherever it is shown.
 */
import { type CurrentOutageDto, type PlanDetailDto } from '../api-types.generated.js';
import { clockTime, duration } from '../dom.js';

export interface BannerPlan {
  id: string;
  /** "shutdown plan (armed) RUNNING: 3/12 hosts done" */
  text: string;
}

export interface BannerContent {
  /** One sentence on the outage itself; null when only a plan runs (an operator's, no outage). */
  headline: string | null;
  plans: BannerPlan[];
}

const STATE_WORDS: Record<string, string> = {
  OPEN: 'on battery, nothing shut down yet',
  SHEDDING: 'shutting hosts down',
  POWER_BACK: 'power is back, the shutdown is finishing',
  RESTARTING: 'power is back, hosts are being restarted',
};

/** A host is done when every one of its steps has finished, whatever the outcome. */
export function hostsDone(plan: Pick<PlanDetailDto, 'steps'>): { done: number; total: number } {
  const open = new Map<string, boolean>();
  for (const step of plan.steps) {
    if (step.hostId === null) continue;
    const finished = !['PENDING', 'QUEUED', 'RUNNING'].includes(step.state);
    open.set(step.hostId, (open.get(step.hostId) ?? false) || !finished);
  }
  let done = 0;
  for (const stillOpen of open.values()) if (!stillOpen) done++;
  return { done, total: open.size };
}

export function bannerContent(
  current: CurrentOutageDto,
  plans: ReadonlyArray<Pick<PlanDetailDto, 'id' | 'kind' | 'mode' | 'state' | 'steps'>>,
  upsName: (id: string) => string,
  now: number,
): BannerContent | null {
  const outage = current.outage;
  if (outage === null && plans.length === 0) return null;
  let headline: string | null = null;
  if (outage !== null) {
    const opened = Date.parse(outage.openedAt);
    const names = outage.upsIds.map(upsName).join(', ') || 'a UPS';
    headline =
      `Power outage: ${names} left line power at ${clockTime(opened)} (${duration((now - opened) / 1000)} ago), ` +
      `${STATE_WORDS[outage.state] ?? outage.state.toLowerCase()}` +
      (outage.disarmedAt === null ? '' : `; automatic shutdown cancelled by ${outage.disarmedBy ?? 'an operator'}`) +
      '.';
  }
  return {
    headline,
    plans: plans.map((plan) => {
      const { done, total } = hostsDone(plan);
      const mode = plan.mode === 'ARMED' ? 'armed' : 'dry-run';
      return {
        id: plan.id,
        text: `${plan.kind.toLowerCase()} plan (${mode}) ${plan.state}: ${done}/${total} hosts done`,
      };
    }),
  };
}

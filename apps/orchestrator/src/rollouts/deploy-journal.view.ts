import { DEPLOY_STEPS, type DeployAction } from '@nutfleet/vib';

export interface JournalEntry {
  readonly step: string;
  readonly outcome: string;
  readonly summary: string;
}

/**
 * The deploy journal of a rollout host step (`PlanStep.progress.journal`), in the order the
 * action runs its steps — PostgreSQL's jsonb does not keep key order.
 */
export function journalEntries(progress: unknown, detail: unknown): JournalEntry[] {
  const journal = ((progress ?? {}) as { journal?: Record<string, JournalEntry> }).journal ?? {};
  const action = ((detail ?? {}) as { action?: DeployAction }).action ?? 'install';
  const order: readonly string[] = DEPLOY_STEPS[action] ?? DEPLOY_STEPS.install;
  return Object.values(journal)
    .sort((a, b) => order.indexOf(a.step) - order.indexOf(b.step))
    .map((e) => ({ step: e.step, outcome: e.outcome, summary: e.summary }));
}

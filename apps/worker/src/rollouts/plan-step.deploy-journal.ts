import { type RolloutPlanStore } from '@nutfleet/plan';
import { type DeployJournal, type DeployStepName, type DeployStepResult } from '@nutfleet/vib';

/** `PlanStep.progress` of a rollout host step: the deploy journal, by deploy step. */
export interface DeployProgress {
  readonly journal?: Readonly<Partial<Record<DeployStepName, DeployStepResult>>>;
}

export function readDeployProgress(value: unknown): DeployProgress {
  return typeof value === 'object' && value !== null && 'journal' in value ? (value as DeployProgress) : {};
}

/**
 * The HostDeployer's journal kept in the rollout's PlanStep row (`progress.journal[step]`). The
 * step row is read when the job starts; `record` merges one key with a single UPDATE, so it is
 * durable when it returns and a concurrent record of another step cannot overwrite it. After a
 * `kill -9` the next attempt skips every recorded step (and each step re-checks the host anyway).
 */
export class PlanStepDeployJournal implements DeployJournal {
  private readonly done: Set<DeployStepName>;

  public constructor(
    private readonly rollouts: Pick<RolloutPlanStore, 'recordJournal'>,
    private readonly stepId: string,
    progress: unknown,
  ) {
    this.done = new Set(Object.keys(readDeployProgress(progress).journal ?? {}) as DeployStepName[]);
  }

  public completed(step: DeployStepName): boolean {
    return this.done.has(step);
  }

  public async record(step: DeployStepName, result: DeployStepResult): Promise<void> {
    await this.rollouts.recordJournal(this.stepId, step, result, result.summary);
    this.done.add(step);
  }
}

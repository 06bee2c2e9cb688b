import { Injectable, Logger } from '@nestjs/common';

import { type StepDurationSample } from '@nutfleet/power';
import { errorText } from '@nutfleet/runtime';

import { OrchestratorPlanStore } from '../plan-store/plan-store.module';

/** The most recent successful runs per VM stop / host power-off that a prediction looks at. */
const RUNS_PER_TARGET = 3;

/** What earlier armed shutdown plans measured of these hosts, as the plan builder's input. */
@Injectable()
export class MeasuredDurationsLoader {
  private readonly logger = new Logger(MeasuredDurationsLoader.name);

  public constructor(private readonly store: OrchestratorPlanStore) {}

  /** Never fails a plan: without its history a plan predicts from the policy's worst case. */
  public async load(hostIds: readonly string[]): Promise<StepDurationSample[]> {
    try {
      const rows = await this.store.reads.shutdownStepRuns(hostIds, RUNS_PER_TARGET);
      return rows.map((r) => ({ ...r, finishedAt: r.finishedAt.getTime() }));
    } catch (error) {
      this.logger.warn(`measured durations unreadable, predicting from the policies: ${errorText(error)}`);
      return [];
    }
  }
}

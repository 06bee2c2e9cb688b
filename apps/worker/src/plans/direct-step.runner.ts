import { hostname } from 'node:os';

import { Inject, Injectable, Logger, type BeforeApplicationShutdown } from '@nestjs/common';

import { APP_CONFIG, AppConfig } from '@nutfleet/config';
import { errorText } from '@nutfleet/runtime';

import { directRun } from './direct-run.context';
import { attemptStep } from './step-attempts';
import { StepExecutor } from './step-executor';
import { WorkerPlanStore } from './worker-plan.store';

/** How often the steps running here say they are alive (well within STALE_RUNNING_SECONDS). */
const HEARTBEAT_MS = 5000;

/**
 * Runs plan steps straight from PostgreSQL when BullMQ cannot carry them (Redis down or not
 * answering): the same executor, the same attempts and backoff as a job (attemptStep), this
 * worker's step concurrency, and before each command that changes a host the plan's cancellation
 * is checked in PostgreSQL (no queue can bring it). A shutdown must not wait for Redis.
 */
@Injectable()
export class DirectStepRunner implements BeforeApplicationShutdown {
  private readonly logger = new Logger(DirectStepRunner.name);
  private readonly claimant = `direct:${hostname()}:${process.pid}`;
  private readonly inFlight = new Set<string>();
  /** Step id → its plan, in arrival order (a Map: the reconciler asks `runs` of every open step). */
  private readonly waiting = new Map<string, string>();
  private readonly concurrency: number;
  private heartbeat: NodeJS.Timeout | undefined;
  private stopping = false;

  public constructor(
    private readonly executor: StepExecutor,
    private readonly store: WorkerPlanStore,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.concurrency = Math.max(1, config.plans.stepConcurrency);
  }

  /** Whether this worker runs that step directly now. */
  public runs(stepId: string): boolean {
    return this.inFlight.has(stepId) || this.waiting.has(stepId);
  }

  /** Runs these steps of a plan here (those already running or waiting here are not added twice). */
  public run(planId: string, stepIds: readonly string[]): void {
    if (this.stopping) return;
    const fresh = stepIds.filter((id) => !this.runs(id));
    if (fresh.length === 0) return;
    this.logger.warn(`plan ${planId}: running ${fresh.length} step(s) straight from PostgreSQL (no queue)`);
    for (const stepId of fresh) this.waiting.set(stepId, planId);
    this.pump();
  }

  public async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    this.waiting.clear();
    clearInterval(this.heartbeat);
  }

  private pump(): void {
    for (const [stepId, planId] of this.waiting) {
      if (this.inFlight.size >= this.concurrency) break;
      this.waiting.delete(stepId);
      this.inFlight.add(stepId);
      void this.execute(planId, stepId).finally(() => {
        this.inFlight.delete(stepId);
        this.pump();
      });
    }
    if (this.inFlight.size > 0 && this.heartbeat === undefined) {
      this.heartbeat = setInterval(() => {
        this.store.execution.heartbeat([...this.inFlight]).catch(() => undefined);
      }, HEARTBEAT_MS);
      this.heartbeat.unref();
    } else if (this.inFlight.size === 0 && this.heartbeat !== undefined) {
      clearInterval(this.heartbeat);
      this.heartbeat = undefined;
    }
  }

  private async execute(planId: string, stepId: string): Promise<void> {
    const context = {
      planId,
      planCancelled: async () => (await this.store.execution.findPlan(planId))?.cancelledAt != null,
    };
    await attemptStep({
      attempt: (made, attempts) =>
        directRun.run(context, () => this.executor.attempt(stepId, this.claimant, made, attempts)),
      stopped: () => this.stopping,
      onError: (error) => this.logger.warn(`step ${stepId} of plan ${planId}: ${errorText(error)}`),
    });
  }
}

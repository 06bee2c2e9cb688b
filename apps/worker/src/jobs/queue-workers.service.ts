import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';

import { APP_CONFIG, AppConfig } from '@nutfleet/config';
import { PLAN_STEPS_PER_JOB, QueueName } from '@nutfleet/queue';

import { JobHandlerRegistry } from './job-handler.registry';
import { QueueWorkers } from './queue-workers';

/** Starts consuming once every module is ready; on shutdown drains before connections close. */
@Injectable()
export class QueueWorkersService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('QueueWorkers');
  private workers?: QueueWorkers;

  public constructor(
    private readonly registry: JobHandlerRegistry,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  public onApplicationBootstrap(): void {
    const handlers = this.registry.collect();
    this.workers = new QueueWorkers({
      redis: this.config.redis,
      prefix: this.config.redis.keyPrefix,
      concurrency: this.config.worker.concurrency,
      // A killed worker's plan steps come back after lockDuration instead of BullMQ's 30 s;
      // maxStalledCount is high because a stalled step is resumed, never harmful to rerun.
      perQueue: {
        // Each job carries up to PLAN_STEPS_PER_JOB steps, all running at once: this many jobs
        // keep PLAN_STEP_CONCURRENCY steps in flight.
        [QueueName.Plans]: {
          concurrency: Math.ceil(this.config.plans.stepConcurrency / PLAN_STEPS_PER_JOB),
          fetchers: 4,
          lockDuration: 10_000,
          stalledInterval: 5_000,
          maxStalledCount: 10,
        },
        // Each rollout's waves bound its hosts in flight; this bounds one worker's SSH sessions.
        // A killed worker's deploy comes back after lockDuration and resumes from its journal.
        [QueueName.Rollouts]: {
          concurrency: this.config.rollouts.hostConcurrency,
          lockDuration: 15_000,
          stalledInterval: 5_000,
          maxStalledCount: 10,
        },
        // Bounds one worker's SSH sessions for readiness (at most 64); the orchestrator spreads
        // a pass over its interval, so at 1,000 hosts only a few run at any moment anyway.
        [QueueName.Readiness]: { concurrency: this.config.fleetReadiness.sshConcurrency },
      },
      handlers,
      log: { debug: (m) => this.logger.debug(m), warn: (m) => this.logger.warn(m), error: (m) => this.logger.error(m) },
    });
    this.workers.start();
    this.logger.log(`serving ${handlers.size} job types with concurrency ${this.config.worker.concurrency}`);
  }

  public async beforeApplicationShutdown(): Promise<void> {
    if (!this.workers) return;
    // Leave a margin inside the process deadline for closing the database and Redis.
    const drainMs = Math.max(1000, this.config.shutdownTimeoutMs - 2000);
    this.logger.log(`no longer taking jobs; waiting up to ${Math.round(drainMs / 1000)} s for running ones`);
    const { abandoned } = await this.workers.stop(drainMs);
    if (abandoned.length > 0) {
      this.logger.warn(
        `deadline reached with ${abandoned.length} job(s) running, left for another worker to resume: ${abandoned.join(', ')}`,
      );
    } else {
      this.logger.log('all running jobs finished');
    }
  }
}

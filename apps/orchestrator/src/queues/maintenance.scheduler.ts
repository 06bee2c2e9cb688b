import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';

import { APP_CONFIG, AppConfig } from '@nutfleet/config';
import { JobName } from '@nutfleet/queue';

import { JobProducer } from './job-producer.service';

const DAY_MS = 24 * 3600 * 1000;
const RETRY_MS = 30_000;

/** Registers the recurring housekeeping jobs; keeps retrying while Redis is unreachable. */
@Injectable()
export class MaintenanceScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(MaintenanceScheduler.name);
  private retry?: NodeJS.Timeout;

  public constructor(
    private readonly producer: JobProducer,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  public onApplicationBootstrap(): void {
    void this.register();
  }

  public onApplicationShutdown(): void {
    clearTimeout(this.retry);
  }

  private async register(): Promise<void> {
    try {
      await this.producer.schedule('prune-power-events-daily', DAY_MS, JobName.PrunePowerEvents, {
        retentionDays: this.config.powerEventRetentionDays,
      });
      this.logger.log(`power events older than ${this.config.powerEventRetentionDays} days are pruned daily`);
      await this.producer.schedule('prune-ups-samples-daily', DAY_MS, JobName.PruneUpsSamples, {
        retentionDays: this.config.upsSampleRetentionDays,
      });
      this.logger.log(`UPS samples older than ${this.config.upsSampleRetentionDays} days are pruned daily`);
    } catch (error) {
      this.logger.warn(`could not register the daily pruning yet (${String(error)}); retrying in ${RETRY_MS / 1000} s`);
      this.retry = setTimeout(() => void this.register(), RETRY_MS);
      this.retry.unref();
    }
  }
}

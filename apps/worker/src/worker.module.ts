import { type DynamicModule, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { LoggerModule } from 'nestjs-pino';

import { AppConfig, ConfigModule } from '@nutfleet/config';
import { PrismaModule } from '@nutfleet/db';
import { pinoOptions } from '@nutfleet/logging';

import { DiscoverHostHandler } from './discovery/discover-host.handler';
import { DiscoveryJobsQueue } from './discovery/discovery-jobs.queue';
import { DiscoveryResultRecorder } from './discovery/discovery-result.recorder';
import { DiscoveryRunReconciler } from './discovery/discovery-run.reconciler';
import { HostsModule } from './hosts/hosts.module';
import { JobHandlerRegistry } from './jobs/job-handler.registry';
import { QueueWorkersService } from './jobs/queue-workers.service';
import { PrunePowerEventsHandler } from './maintenance/prune-power-events.handler';
import { PruneUpsSamplesHandler } from './maintenance/prune-ups-samples.handler';
import { DeliverNotificationHandler } from './notifications/deliver-notification.handler';
import { PlansModule } from './plans/plans.module';
import { PlanStoreModule } from './plans/plan-store.module';
import { FleetReadinessModule } from './readiness/readiness.module';
import { RolloutsModule } from './rollouts/rollouts.module';

/** Every BullMQ processor lives here, in the worker process only. */
@Module({})
export class WorkerModule {
  public static forRoot(config: AppConfig): DynamicModule {
    return {
      module: WorkerModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggerModule.forRoot({
          pinoHttp: pinoOptions({ level: config.log.level, format: config.log.format, processName: 'worker' }),
        }),
        DiscoveryModule,
        PrismaModule,
        HostsModule,
        PlansModule,
        PlanStoreModule,
        RolloutsModule,
        FleetReadinessModule,
      ],
      providers: [
        JobHandlerRegistry,
        QueueWorkersService,
        PrunePowerEventsHandler,
        PruneUpsSamplesHandler,
        DiscoverHostHandler,
        DiscoveryResultRecorder,
        DiscoveryJobsQueue,
        DiscoveryRunReconciler,
        DeliverNotificationHandler,
      ],
    };
  }
}

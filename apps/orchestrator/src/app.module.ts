import { randomUUID } from 'node:crypto';

import { type DynamicModule, Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import pino from 'pino';

import { AppConfig, ConfigModule } from '@nutfleet/config';
import { PrismaModule } from '@nutfleet/db';
import { deferRequestChildren, pinoOptions } from '@nutfleet/logging';

import { ArtifactsModule } from './artifacts/artifacts.module';
import { AuditModule } from './audit/audit.module';
import { AuthModule } from './auth/auth.module';
import { DashboardModule } from './dashboard/dashboard.module';
import { DrillsModule } from './drills/drills.module';
import { FleetReadinessModule } from './fleet-readiness/fleet-readiness.module';
import { HostDiscoveryModule } from './discovery/discovery.module';
import { HealthModule } from './health/health.module';
import { HostPowerModule } from './host-power/host-power.module';
import { HostTrustModule } from './host-trust/host-trust.module';
import { HttpErrorsModule } from './http/http-errors.module';
import { InventoryModule } from './inventory/inventory.module';
import { MetricsModule } from './metrics/metrics.module';
import { NotificationsModule } from './notifications/notifications.module';
import { OutagesModule } from './outages/outages.module';
import { PlanStoreModule } from './plan-store/plan-store.module';
import { PlansModule } from './plans/plans.module';
import { RestartModule } from './restart/restart.module';
import { SafetyPathModule } from './safety-path/safety-path.module';
import { PowerCycleModule } from './power-cycle/power-cycle.module';
import { PowerMonitorModule } from './power-monitor/power-monitor.module';
import { QueuesModule } from './queues/queues.module';
import { HttpDrainService } from './http/http-drain.service';
import { RedisModule } from './redis/redis.module';
import { RolloutsModule } from './rollouts/rollouts.module';

const QUIET_ROUTES = new Set(['/health', '/ready']);
const REQUEST_ID = /^[A-Za-z0-9._:-]{1,100}$/;

@Module({})
export class AppModule {
  public static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggerModule.forRoot({
          pinoHttp: {
            // Each request's child logger (bound to the request, redacted) is made only when
            // something is logged through it: nothing to pay per request when LOG_LEVEL is above info.
            logger: deferRequestChildren(
              pino(pinoOptions({ level: config.log.level, format: config.log.format, processName: 'orchestrator' })),
            ),
            // Probes hit these every few seconds; logging each would drown the useful lines.
            autoLogging: { ignore: (req) => QUIET_ROUTES.has(req.url ?? '') },
            // A caller's X-Request-Id (when sane) or a fresh UUID: logged, echoed, kept in the audit log.
            genReqId: (req, res) => {
              const given = req.headers['x-request-id'];
              const id = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
              res.setHeader('X-Request-Id', id);
              return id;
            },
          },
        }),
        PrismaModule,
        PlanStoreModule,
        RedisModule,
        QueuesModule,
        HttpErrorsModule,
        AuditModule,
        AuthModule,
        // Before InventoryModule: GET /hosts/drift must not be taken for GET /hosts/:id.
        RolloutsModule,
        ArtifactsModule,
        InventoryModule,
        HealthModule,
        PowerMonitorModule,
        PowerCycleModule,
        PlansModule,
        RestartModule,
        OutagesModule,
        SafetyPathModule,
        HostTrustModule,
        HostPowerModule,
        HostDiscoveryModule,
        MetricsModule,
        NotificationsModule,
        FleetReadinessModule,
        DrillsModule,
        DashboardModule,
      ],
      providers: [HttpDrainService],
    };
  }
}

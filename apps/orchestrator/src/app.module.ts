import { type DynamicModule, Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';

import { AppConfig, ConfigModule } from '@nutfleet/config';
import { PrismaModule } from '@nutfleet/db';
import { pinoOptions } from '@nutfleet/logging';

import { HealthModule } from './health/health.module';
import { PowerMonitorModule } from './power-monitor/power-monitor.module';
import { QueuesModule } from './queues/queues.module';
import { RedisModule } from './redis/redis.module';

const QUIET_ROUTES = new Set(['/health', '/ready']);

@Module({})
export class AppModule {
  public static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggerModule.forRoot({
          pinoHttp: {
            ...pinoOptions({ level: config.log.level, format: config.log.format, processName: 'orchestrator' }),
            // Probes hit these every few seconds; logging each would drown the useful lines.
            autoLogging: { ignore: (req) => QUIET_ROUTES.has(req.url ?? '') },
          },
        }),
        PrismaModule,
        RedisModule,
        QueuesModule,
        HealthModule,
        PowerMonitorModule,
      ],
    };
  }
}

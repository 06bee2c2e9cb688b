import { Inject, Injectable } from '@nestjs/common';
import { Redis } from 'ioredis';

import { APP_CONFIG, AppConfig } from '@nutfleet/config';
import { PrismaService } from '@nutfleet/db';

import { REDIS_CLIENT } from '../redis/redis.module';

export type DependencyName = 'database' | 'redis';

export interface DependencyCheck {
  status: 'up' | 'down';
  latencyMs: number;
  error?: string;
}

export interface Readiness {
  ready: boolean;
  down: DependencyName[];
  checks: Record<DependencyName, DependencyCheck>;
}

class CheckTimeoutError extends Error {
  public constructor(ms: number) {
    super(`no answer within ${ms} ms`);
  }
}

/** Asks PostgreSQL and Redis for a round trip, each bounded by READY_CHECK_TIMEOUT_MS. */
@Injectable()
export class ReadinessService {
  public constructor(
    private readonly prisma: PrismaService,
    @Inject(REDIS_CLIENT) private readonly redis: Redis,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  public async check(): Promise<Readiness> {
    const [database, redis] = await Promise.all([
      this.probe(() => this.prisma.$queryRaw`SELECT 1`),
      this.probe(() => this.redis.ping()),
    ]);
    const checks = { database, redis };
    const down = (Object.keys(checks) as DependencyName[]).filter((name) => checks[name].status === 'down');
    return { ready: down.length === 0, down, checks };
  }

  private async probe(roundTrip: () => Promise<unknown>): Promise<DependencyCheck> {
    const started = performance.now();
    const timeoutMs = this.config.readyCheckTimeoutMs;
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        roundTrip(),
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new CheckTimeoutError(timeoutMs)), timeoutMs);
        }),
      ]);
      return { status: 'up', latencyMs: Math.round(performance.now() - started) };
    } catch (error) {
      const message =
        error instanceof Error ? (error.message.split('\n').find((l) => l.trim() !== '') ?? error.name) : String(error);
      return { status: 'down', latencyMs: Math.round(performance.now() - started), error: message.trim() };
    } finally {
      clearTimeout(timer);
    }
  }
}

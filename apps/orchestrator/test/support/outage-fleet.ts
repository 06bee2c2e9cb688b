import { randomBytes, randomUUID } from 'node:crypto';

import { type PrismaClient, sealSecret } from '@nutfleet/db';
import {
  type EsxiFleet,
  type SimulatedHost,
  simulatedHostFacts,
  type TestDatabase,
  type TestRedisPrefix,
} from '@nutfleet/testing';

export interface OutageHostSpec {
  readonly stage: number;
  readonly minSupplies: number;
  /** UPS ids feeding the host (power value 1 each). */
  readonly upsIds: readonly string[];
  readonly policyId?: string | null;
  /** The simulated fleet whose listener gets the host's magic packets; the host's MAC is stored too. */
  readonly wakeOnLan?: Pick<EsxiFleet, 'wolAddress' | 'wolPort'>;
  readonly groupId?: string;
  /** Default: the simulator's id and a random suffix. */
  readonly name?: string;
}

/** A trusted Host row (sealed credentials, pinned key, facts) for a simulated host, with its feeds. */
export async function insertOutageHost(
  prisma: PrismaClient,
  secretKey: Buffer,
  sim: SimulatedHost,
  spec: OutageHostSpec,
): Promise<string> {
  const id = randomUUID();
  await prisma.host.create({
    data: {
      id,
      name: spec.name ?? `${sim.id}-${randomBytes(2).toString('hex')}`,
      address: sim.address,
      sshPort: sim.port,
      username: sim.username,
      passwordEnc: sealSecret(sim.password, secretKey, `host:${id}:password`),
      hostKeyFingerprint: sim.fingerprint,
      trustState: 'TRUSTED',
      shutdownStage: spec.stage,
      minSupplies: spec.minSupplies,
      ...(spec.policyId != null ? { policyId: spec.policyId } : {}),
      ...(spec.groupId !== undefined ? { groupId: spec.groupId } : {}),
      ...(spec.wakeOnLan !== undefined
        ? { macAddresses: [sim.mac], wolBroadcast: spec.wakeOnLan.wolAddress, wolPort: spec.wakeOnLan.wolPort }
        : {}),
      facts: simulatedHostFacts(sim),
      feeds: { create: spec.upsIds.map((upsId) => ({ upsId, powerValue: 1 })) },
    },
  });
  return id;
}

/** Commands that change state on a host (anything a dry-run must never send). */
export const STATE_CHANGING =
  /vmsvc\/power\.(shutdown|off|suspend|on|reset|reboot)|^poweroff\b|system shutdown|maintenanceMode set/;

export function stateChangingCommands(sim: SimulatedHost): string[] {
  return sim.commandLog.map((c) => c.line).filter((line) => STATE_CHANGING.test(line));
}

export function poweroffTimes(sim: SimulatedHost): number[] {
  return sim.commandLog.filter((c) => c.argv[0] === 'poweroff').map((c) => c.at);
}

export function firstStateChangeAt(sim: SimulatedHost): number | undefined {
  return sim.commandLog.find((c) => STATE_CHANGING.test(c.line))?.at;
}

/**
 * The environment of an outage test's orchestrator and worker: their own database and Redis
 * prefix, no demo, and the monitor, planner and reconciler ticking fast enough for a test.
 */
export function outageTestEnv(
  db: TestDatabase,
  redis: TestRedisPrefix,
  overrides: Readonly<Record<string, string>> = {},
): Record<string, string> & { DATABASE_URL: string } {
  return {
    DATABASE_URL: db.url,
    REDIS_URL: redis.url,
    REDIS_KEY_PREFIX: redis.prefix,
    NUTFLEET_SECRET_KEY: randomBytes(32).toString('hex'),
    NUTFLEET_DEMO: 'off',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'warn',
    POWER_MONITOR_POLL_INTERVAL_MS: '500',
    POWER_MONITOR_INVENTORY_REFRESH_MS: '500',
    POWER_MONITOR_LEASE_TTL_MS: '3000',
    PLAN_EVALUATE_INTERVAL_MS: '250',
    PLAN_RECONCILE_INTERVAL_MS: '500',
    SHUTDOWN_TIMEOUT_SECONDS: '5',
    // Readiness passes would add their own (read-only) SSH commands to the command logs asserted on.
    FLEET_READINESS_ENABLED: 'false',
    ...overrides,
  };
}

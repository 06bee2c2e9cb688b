import { type PrismaClient } from '@nutfleet/db';
import { type EsxiFleet } from '@nutfleet/testing';

import { insertOutageHost } from './outage-fleet';

/**
 * The orchestrator's settings of a drill test: power monitor on, planner and reconciler ticking
 * fast, restarts bounded, and no readiness checks or warm-up passes adding SSH commands to the
 * simulators' logs the tests compare with.
 */
export const DRILL_TEST_ENV: Readonly<Record<string, string>> = {
  POWER_MONITOR_ENABLED: 'true',
  POWER_MONITOR_LEASE_TTL_MS: '3000',
  PLAN_EVALUATE_INTERVAL_MS: '200',
  PLAN_RECONCILE_INTERVAL_MS: '500',
  RESTART_HOST_TIMEOUT_SECONDS: '20',
  FLEET_READINESS_ENABLED: 'false',
  HOST_SESSION_WARM_INTERVAL_MS: '0',
};

/**
 * Inserts simulated host `i` of `fleet` as a drillable host of a group (`drill-<i>`): trusted,
 * with its MAC and the fleet's Wake-on-LAN address, stage and wave 0, no power feed.
 */
export function insertDrillHost(
  prisma: PrismaClient,
  secretKey: Buffer,
  fleet: EsxiFleet,
  i: number,
  groupId: string,
): Promise<string> {
  return insertOutageHost(prisma, secretKey, fleet.host(i), {
    name: `drill-${i}`,
    stage: 0,
    minSupplies: 1,
    upsIds: [],
    wakeOnLan: fleet,
    groupId,
  });
}

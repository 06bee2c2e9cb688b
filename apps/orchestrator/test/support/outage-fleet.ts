import { randomBytes, randomUUID } from 'node:crypto';

import { type HostFacts, type PrismaClient, sealSecret } from '@nutfleet/db';
import { type SimulatedHost, type TestDatabase, type TestRedisPrefix } from '@nutfleet/testing';

/** Host.facts as discovery would have written them, read from the simulator's model. */
export function factsOf(sim: SimulatedHost): HostFacts {
  const vms = sim.state.vms;
  return {
    schemaVersion: 1,
    discoveredAt: new Date().toISOString(),
    esxi: { product: 'VMware ESXi', version: '8.0.3', build: 'Releasebuild-1', buildNumber: 1, update: 3, patch: 0 },
    nics: [],
    vms: vms.map((vm) => ({
      id: vm.id,
      name: vm.name,
      file: `[datastore1] ${vm.name}/${vm.name}.vmx`,
      guestOs: vm.guestOs,
      hwVersion: vm.hwVersion,
      powerState: vm.power === 'on' ? 'poweredOn' : vm.power === 'off' ? 'poweredOff' : 'suspended',
      tools: vm.tools ? 'running' : 'notInstalled',
    })),
    invalidVmIds: [],
    autostart: {
      defaults: { enabled: true, startDelay: 120, stopDelay: 120, waitForHeartbeat: false, stopAction: 'powerOff' },
      sequence: vms
        .filter((vm) => vm.autostart !== undefined)
        .map((vm) => ({
          vmId: vm.id,
          startOrder: vm.autostart?.startOrder ?? 0,
          startDelay: -1,
          startAction: 'powerOn',
          stopDelay: -1,
          stopAction: 'systemDefault',
          waitForHeartbeat: 'systemDefault',
        })),
    },
    nutClient: { installed: false },
    nutUserVars: {},
    acceptanceLevel: 'PartnerSupported',
    maintenanceMode: false,
  };
}

export interface OutageHostSpec {
  readonly stage: number;
  readonly minSupplies: number;
  /** UPS ids feeding the host (power value 1 each). */
  readonly upsIds: readonly string[];
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
      name: `${sim.id}-${randomBytes(2).toString('hex')}`,
      address: sim.address,
      sshPort: sim.port,
      username: sim.username,
      passwordEnc: sealSecret(sim.password, secretKey, `host:${id}:password`),
      hostKeyFingerprint: sim.fingerprint,
      trustState: 'TRUSTED',
      shutdownStage: spec.stage,
      minSupplies: spec.minSupplies,
      facts: factsOf(sim),
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
    ...overrides,
  };
}

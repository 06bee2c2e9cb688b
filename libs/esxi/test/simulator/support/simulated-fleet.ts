/**
 * The real client against the ESXi fleet simulator. The simulator is imported from its source
 * folder rather than through `@nutfleet/testing`, whose index also loads the database helpers
 * (Prisma) that these tests do not need.
 */
import { type ConnectionSettings, EsxiHostPool, type EsxiHost, type EsxiHostTarget } from '../../../src';
import {
  type EsxiFleet,
  type EsxiFleetOptions,
  type SimulatedHost,
  startEsxiFleet,
} from '../../../../testing/src/esxi-sim';

export * from '../../../../testing/src/esxi-sim';

export const ESXI_VERSIONS = ['6.7', '7.0', '8.0'] as const;

/** Short limits so that a broken case fails in seconds, never hangs. */
export const TEST_SETTINGS: Partial<ConnectionSettings> = {
  connectTimeoutMs: 5_000,
  commandTimeoutMs: 5_000,
  uploadTimeoutMs: 10_000,
};

/** Pinned fingerprint and the host's password, as the orchestrator would store them. */
export function targetOf(sim: SimulatedHost, overrides: Partial<EsxiHostTarget> = {}): EsxiHostTarget {
  return {
    address: sim.address,
    port: sim.port,
    username: sim.username,
    auth: { kind: 'password', password: sim.password },
    fingerprint: sim.fingerprint,
    ...overrides,
  };
}

export interface ClientAndFleet {
  readonly fleet: EsxiFleet;
  readonly pool: EsxiHostPool;
  /** The client's host object for simulated host `i`. */
  host(i: number): EsxiHost;
  stop(): Promise<void>;
}

export async function startClientAndFleet(
  options: EsxiFleetOptions,
  settings: Partial<ConnectionSettings> = {},
): Promise<ClientAndFleet> {
  const fleet = await startEsxiFleet({ msPerSecond: 10, ...options });
  const pool = new EsxiHostPool({ ...TEST_SETTINGS, ...settings });
  return {
    fleet,
    pool,
    host: (i) => pool.get(targetOf(fleet.host(i))),
    stop: async () => {
      pool.closeAll();
      await fleet.stop();
    },
  };
}

/** The simulator's log entries for commands whose first word is `name`. */
export function loggedCommands(sim: SimulatedHost, name: string): SimulatedHost['commandLog'] {
  return sim.commandLog.filter((entry) => entry.argv[0] === name);
}

export function lastLogged(sim: SimulatedHost): SimulatedHost['commandLog'][number] {
  const entry = sim.commandLog[sim.commandLog.length - 1];
  if (entry === undefined) throw new Error(`host ${sim.id} has received no command`);
  return entry;
}

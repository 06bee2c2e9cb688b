import { type HostInventory, type PowerFeed, type VmInventory } from '../src/fleet-inventory';
import { type EpochMs } from '../src/time';
import { type UpsHistory, type UpsObservation, parseUpsStatus } from '../src/ups-observation';

/** Every scenario starts at T0; times in tables are seconds after it. */
export const T0: EpochMs = Date.UTC(2025, 0, 15, 3, 0, 0);
export const at = (seconds: number): EpochMs => T0 + seconds * 1000;

/**
 * `[t, 'OB LB', { charge: 30 }]` is a reading; `[t, 'lost']` a failed poll, `[t, 'lost', { lastGood: 12 }]`
 * one reported after the monitor's last good poll at 12.
 */
export type Step = readonly [
  seconds: number,
  status: string,
  extra?: { charge?: number; runtime?: number; inputVoltage?: number; lastGood?: number },
];

export function history(upsId: string, steps: readonly Step[], nutServerId?: string): UpsHistory {
  const observations: UpsObservation[] = steps.map(([seconds, status, extra]) =>
    status === 'lost'
      ? { at: at(seconds), comm: 'lost', ...(extra?.lastGood !== undefined ? { lastGoodAt: at(extra.lastGood) } : {}) }
      : {
          at: at(seconds),
          comm: 'ok',
          status: parseUpsStatus(status),
          charge: extra?.charge,
          runtimeSeconds: extra?.runtime,
          ...(extra?.inputVoltage !== undefined ? { inputVoltage: extra.inputVoltage } : {}),
        },
  );
  return { upsId, nutServerId, observations };
}

export function host(id: string, overrides: Partial<HostInventory> = {}): HostInventory {
  return {
    id,
    name: overrides.name ?? id,
    minSupplies: 1,
    shutdownStage: 0,
    restartWave: 0,
    policyId: 'default',
    powerState: 'on',
    vms: [],
    ...overrides,
  };
}

export function vm(id: string, overrides: Partial<VmInventory> = {}): VmInventory {
  return { id, name: overrides.name ?? id, powerState: 'on', toolsState: 'running', ...overrides };
}

/** `feeds('h1', { A: 1, B: 1 })`. */
export function feeds(hostId: string, byUps: Readonly<Record<string, number>>): PowerFeed[] {
  return Object.entries(byUps).map(([upsId, powerValue]) => ({ hostId, upsId, powerValue }));
}

import { type HostInventory } from './fleet-inventory';
import { type DurationSample, summariseDurations } from './prediction-source';

/** A successful step of an earlier armed plan: a VM's stop (`vmId`) or its host's power-off (`vmId` null). */
export interface StepDurationSample extends DurationSample {
  readonly hostId: string;
  readonly vmId: string | null;
}

/**
 * The inventory with what earlier plans measured: each VM's stop and each host's power-off
 * duration, with where it was measured, so that plans predict from what really happened.
 */
export function withMeasuredDurations(
  hosts: readonly HostInventory[],
  samples: readonly StepDurationSample[],
): HostInventory[] {
  const byTarget = new Map<string, StepDurationSample[]>();
  for (const s of samples) {
    const key = `${s.hostId}\u0000${s.vmId ?? ''}`;
    byTarget.set(key, [...(byTarget.get(key) ?? []), s]);
  }
  const measured = (hostId: string, vmId: string | null) =>
    summariseDurations(byTarget.get(`${hostId}\u0000${vmId ?? ''}`) ?? []);
  return hosts.map((host) => {
    const powerOff = measured(host.id, null);
    return {
      ...host,
      vms: host.vms.map((vm) => {
        const stop = measured(host.id, vm.id);
        return stop === undefined
          ? vm
          : { ...vm, measuredShutdownSeconds: stop.seconds, measuredShutdownFrom: stop.origin };
      }),
      ...(powerOff === undefined
        ? {}
        : { measuredPowerOffSeconds: powerOff.seconds, measuredPowerOffFrom: powerOff.origin }),
    };
  });
}

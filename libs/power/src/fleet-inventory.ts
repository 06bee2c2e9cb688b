import { type MeasurementOrigin } from './prediction-source';
import { type UpsId } from './ups-observation';
import { type VmFallbackAction } from './shutdown-policy';

/** Host ↔ UPS link: how many of the host's power supplies this UPS feeds (NUT power value). */
export interface PowerFeed {
  readonly hostId: string;
  readonly upsId: UpsId;
  /** 0 = watched only, never counts towards `minSupplies`. */
  readonly powerValue: number;
}

/**
 * Each host's feeds, in their order, read once: evaluators that scanned every feed for each host
 * were quadratic (25 million comparisons for a 5,000-host fleet).
 */
export function feedsByHost(feeds: readonly PowerFeed[]): Map<string, PowerFeed[]> {
  const byHost = new Map<string, PowerFeed[]>();
  for (const feed of feeds) {
    const list = byHost.get(feed.hostId);
    if (list) list.push(feed);
    else byHost.set(feed.hostId, [feed]);
  }
  return byHost;
}

export type ToolsState = 'running' | 'not-running' | 'not-installed' | 'unknown';
export type VmPowerState = 'on' | 'off' | 'suspended';
export type VmShutdownAction = 'guest-shutdown' | VmFallbackAction;

/** Per-VM choices that beat what autostart order and the policy would give. */
export interface VmOverride {
  /**
   * Shutdown batch (lower goes first; one batch runs in parallel). Derived batches: 0 for VMs
   * without autostart order, then 1 for the VM that starts last, and so on.
   */
  readonly shutdownBatch?: number;
  readonly action?: VmShutdownAction;
  /** Seconds granted to the first action before escalation. */
  readonly timeoutSeconds?: number;
}

export interface VmInventory {
  readonly id: string;
  readonly name: string;
  readonly powerState: VmPowerState;
  readonly toolsState: ToolsState;
  /** ESXi autostart `startOrder` (1 = first to start); absent when the VM is not in the sequence. */
  readonly autostartOrder?: number;
  readonly override?: VmOverride;
  /** Seconds its last shutdown really took, to predict the next one. */
  readonly measuredShutdownSeconds?: number;
  /** Which plan measured it, when, from how many runs (the prediction names it). */
  readonly measuredShutdownFrom?: MeasurementOrigin;
}

export interface HostInventory {
  readonly id: string;
  readonly name: string;
  /** NUT MINSUPPLIES for this host: how many supplies must be healthy to keep it running. */
  readonly minSupplies: number;
  /** Lower stages go down first. */
  readonly shutdownStage: number;
  /** Lower waves come back first. */
  readonly restartWave: number;
  readonly policyId: string;
  readonly powerState: 'on' | 'off' | 'unknown';
  readonly vms: readonly VmInventory[];
  /**
   * The last read of its VM list failed (`vms` is then its last good read, or empty): its host
   * step re-reads the list and stops the running VMs before its poweroff.
   */
  readonly vmsUnknown?: string;
  /** Seconds its last `poweroff` really took. */
  readonly measuredPowerOffSeconds?: number;
  readonly measuredPowerOffFrom?: MeasurementOrigin;
  /** Whether the host powers its VMs on by itself (ESXi autostart enabled). */
  readonly autostartEnabled?: boolean;
}

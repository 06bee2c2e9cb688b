import { type VmInventory, type VmShutdownAction } from './fleet-inventory';
import { predictDuration, type PredictionSource } from './prediction-source';
import { type VmHandling } from './shutdown-policy';

/** One rung of a VM's escalation ladder: try `action`, wait up to `timeoutSeconds`, then the next rung. */
export interface VmActionRung {
  readonly action: VmShutdownAction;
  readonly timeoutSeconds: number;
}

export interface VmShutdownEntry {
  readonly vm: VmInventory;
  readonly batch: number;
  readonly ladder: readonly VmActionRung[];
  /** Worst case: every rung used to its timeout. */
  readonly worstCaseSeconds: number;
  /** Measured duration of its last shutdown when known, else the worst case. */
  readonly predictedSeconds: number;
  readonly predictionSource: PredictionSource;
  /** Why this order and this action, for the plan preview. */
  readonly why: string;
}

export interface VmShutdownBatch {
  readonly batch: number;
  /** Sorted by VM id: runs in parallel, the order only keeps output deterministic. */
  readonly entries: readonly VmShutdownEntry[];
}

/**
 * Orders a host's powered-on VMs for shutdown, as ESXi's autostop would but per VM: VMs outside
 * the autostart sequence first (batch 0), then reverse autostart order (the VM started last
 * stops first), VMs sharing a start order in one parallel batch. An override batch wins.
 */
export function orderVmShutdown(vms: readonly VmInventory[], handling: VmHandling): VmShutdownBatch[] {
  const running = vms.filter((vm) => vm.powerState === 'on');
  const startOrders = [
    ...new Set(running.map((vm) => vm.autostartOrder).filter((o): o is number => o !== undefined)),
  ].sort((a, b) => b - a);
  const byBatch = new Map<number, VmShutdownEntry[]>();
  for (const vm of running) {
    const derived = vm.autostartOrder === undefined ? 0 : startOrders.indexOf(vm.autostartOrder) + 1;
    const batch = vm.override?.shutdownBatch ?? derived;
    const orderWhy =
      vm.override?.shutdownBatch !== undefined
        ? `batch ${batch} set by override`
        : vm.autostartOrder === undefined
          ? 'batch 0: not in the autostart sequence'
          : `batch ${batch}: reverse of autostart order ${vm.autostartOrder}`;
    const { ladder, why } = buildLadder(vm, handling);
    const worstCaseSeconds = ladder.reduce((acc, rung) => acc + rung.timeoutSeconds, 0);
    const predicted = predictDuration(worstCaseSeconds, vm.measuredShutdownSeconds, vm.measuredShutdownFrom, {
      setting: 'vm ladder timeouts',
      text: `the ladder's timeouts ${ladder.map((r) => `${r.action} ${r.timeoutSeconds} s`).join(' + ')}`,
    });
    const entry: VmShutdownEntry = {
      vm,
      batch,
      ladder,
      worstCaseSeconds,
      predictedSeconds: predicted.seconds,
      predictionSource: predicted.source,
      why: `${orderWhy}; ${why}`,
    };
    byBatch.set(batch, [...(byBatch.get(batch) ?? []), entry]);
  }
  return [...byBatch.entries()]
    .sort(([a], [b]) => a - b)
    .map(([batch, entries]) => ({ batch, entries: entries.sort((a, b) => a.vm.id.localeCompare(b.vm.id)) }));
}

function buildLadder(vm: VmInventory, handling: VmHandling): { ladder: VmActionRung[]; why: string } {
  const override = vm.override?.action;
  // 'unknown' Tools still get a guest shutdown: it fails at once if Tools are absent and the
  // ladder escalates, whereas skipping it could power off a healthy guest.
  const first: VmShutdownAction =
    override ?? (vm.toolsState === 'running' || vm.toolsState === 'unknown' ? 'guest-shutdown' : handling.withoutTools);
  const why =
    override !== undefined
      ? `${first} set by override`
      : first === 'guest-shutdown'
        ? `guest shutdown (Tools ${vm.toolsState})`
        : `${first}: Tools ${vm.toolsState}, guest shutdown impossible`;
  const firstTimeout = vm.override?.timeoutSeconds;
  const powerOff: VmActionRung = { action: 'power-off', timeoutSeconds: handling.powerOffTimeoutSeconds };
  const suspend = (timeout: number): VmActionRung => ({ action: 'suspend', timeoutSeconds: timeout });
  switch (first) {
    case 'guest-shutdown': {
      const rung: VmActionRung = {
        action: 'guest-shutdown',
        timeoutSeconds: firstTimeout ?? handling.guestShutdownTimeoutSeconds,
      };
      const rest = handling.onTimeout === 'suspend' ? [suspend(handling.suspendTimeoutSeconds), powerOff] : [powerOff];
      return { ladder: [rung, ...rest], why };
    }
    case 'suspend':
      return { ladder: [suspend(firstTimeout ?? handling.suspendTimeoutSeconds), powerOff], why };
    case 'power-off':
      return {
        ladder: [{ action: 'power-off', timeoutSeconds: firstTimeout ?? handling.powerOffTimeoutSeconds }],
        why,
      };
  }
}

/**
 * What happens to VMs when the host goes down (poweroff) and comes back (boot): ESXi's
 * autostart manager stops VMs in reverse start order with each entry's stop action and delay,
 * then whatever still runs dies with the host; at boot it starts the ordered VMs.
 */
import type { HostState } from './host-state';
import type { DefaultStopAction, SimulatedVm } from './virtual-machine';

function stopActionOf(state: HostState, vm: SimulatedVm): DefaultStopAction {
  const a = vm.autostart?.stopAction ?? 'systemDefault';
  return a === 'systemDefault' ? state.autostartDefaults.stopAction : a;
}

function stopDelayOf(state: HostState, vm: SimulatedVm): number {
  const d = vm.autostart?.stopDelay ?? -1;
  return d < 0 ? state.autostartDefaults.stopDelay : d;
}

export async function stopVmsForShutdown(state: HostState, msPerSecond: number): Promise<void> {
  if (state.autostartDefaults.enabled) {
    const ordered = state.vms
      .filter((v) => v.autostart)
      .sort((a, b) => (b.autostart?.startOrder ?? 0) - (a.autostart?.startOrder ?? 0));
    const unordered = state.vms.filter((v) => !v.autostart);
    for (const vm of [...ordered, ...unordered]) {
      if (vm.power !== 'on') continue;
      const action = stopActionOf(state, vm);
      if (action === 'guestShutdown' && vm.tools) {
        state.startGuestShutdown(vm);
        const stopped = await state.waitForVmStop(vm, stopDelayOf(state, vm) * msPerSecond);
        state.logPower(stopped ? 'vm-guest-shutdown' : 'vm-guest-shutdown-timeout', vm.name);
      } else if (action === 'suspend') {
        state.setVmPower(vm, 'suspended');
        state.logPower('vm-suspended', vm.name);
      } else if (action === 'powerOff' || action === 'guestShutdown') {
        state.setVmPower(vm, 'off');
        state.logPower('vm-powered-off', vm.name);
      }
    }
  }
  for (const vm of state.runningVms()) {
    state.setVmPower(vm, 'off');
    state.logPower('vm-killed', vm.name);
  }
  state.clearTimers();
}

/** Starts the ordered autostart VMs; `stillOn` lets a new power-off interrupt the sequence. */
export async function startVmsAfterBoot(state: HostState, msPerSecond: number, stillOn: () => boolean): Promise<void> {
  if (!state.autostartDefaults.enabled || state.maintenanceMode) return;
  const ordered = state.vms
    .filter((v) => v.autostart && v.autostart.startAction === 'powerOn')
    .sort((a, b) => (a.autostart?.startOrder ?? 0) - (b.autostart?.startOrder ?? 0));
  for (const vm of ordered) {
    if (!stillOn()) return;
    if (vm.power === 'on') continue;
    state.setVmPower(vm, 'on');
    state.logPower('vm-autostarted', vm.name);
    const d = vm.autostart?.startDelay ?? -1;
    const delayMs = (d < 0 ? state.autostartDefaults.startDelay : d) * msPerSecond;
    if (delayMs > 0) await new Promise((r) => setTimeout(r, delayMs).unref());
  }
}

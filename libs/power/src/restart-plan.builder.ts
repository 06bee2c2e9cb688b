import { type HostInventory, type PowerFeed } from './fleet-inventory';
import { PowerInputError } from './power-input.error';
import { type RestartPlan, type RestartPlanStep, type RestartWave } from './restart-plan.types';

export interface RestartHostInput {
  /** The inventory as it was before the outage (VM power states included). */
  readonly host: HostInventory;
  readonly wasUpBeforeOutage: boolean;
  /** An operator said to leave it off (its power source says who): never woken. */
  readonly leftOffBy?: string;
}

export interface RestartPlanInput {
  readonly planKey: string;
  readonly hosts: readonly RestartHostInput[];
  readonly feeds: readonly PowerFeed[];
  /** Wake hosts that were down before the outage too. Default false. */
  readonly includeHostsDownBeforeOutage?: boolean;
  /** Wake → verified budget per host. Default 600 s. */
  readonly hostTimeoutSeconds?: number;
  /** Budget to power on one host's VMs. Default 300 s. */
  readonly vmPowerOnTimeoutSeconds?: number;
}

/**
 * Builds the restart plan: waves by ascending `restartWave`; per host: wake (WOL), wait for
 * SSH, verify ESXi, and power on the VMs that were running when the host does not autostart
 * them itself. Gates between waves are evaluated separately (`evaluateRestartGate`).
 */
export function buildRestartPlan(input: RestartPlanInput): RestartPlan {
  const hostTimeout = input.hostTimeoutSeconds ?? 600;
  const vmTimeout = input.vmPowerOnTimeoutSeconds ?? 300;
  const skipped: Array<{ hostId: string; reason: string }> = [];
  const chosen: HostInventory[] = [];
  const seen = new Set<string>();
  for (const { host, wasUpBeforeOutage, leftOffBy } of [...input.hosts].sort((a, b) =>
    a.host.id.localeCompare(b.host.id),
  )) {
    if (seen.has(host.id)) throw new PowerInputError(`hosts[${host.id}]`, 'listed twice');
    seen.add(host.id);
    if (leftOffBy !== undefined) {
      skipped.push({
        hostId: host.id,
        reason: `${host.name} was left off (${leftOffBy}); POST /hosts/${host.id}/allow-wake lets restarts wake it`,
      });
      continue;
    }
    if (!wasUpBeforeOutage && input.includeHostsDownBeforeOutage !== true) {
      skipped.push({ hostId: host.id, reason: `${host.name} was not up before the outage` });
      continue;
    }
    chosen.push(host);
  }

  const waveNumbers = [...new Set(chosen.map((h) => h.restartWave))].sort((a, b) => a - b);
  const waves: RestartWave[] = [];
  const steps: RestartPlanStep[] = [];
  for (const wave of waveNumbers) {
    const hosts = chosen.filter((h) => h.restartWave === wave);
    const hostIds = new Set(hosts.map((h) => h.id));
    const upsIds = [...new Set(input.feeds.filter((f) => hostIds.has(f.hostId)).map((f) => f.upsId))].sort();
    waves.push({ wave, hostIds: hosts.map((h) => h.id), upsIds });
    for (const host of hosts) steps.push(...hostSteps(host, wave, hostTimeout, vmTimeout));
  }
  return { key: input.planKey, waves, steps, hostTimeoutSeconds: hostTimeout, skipped };
}

function hostSteps(host: HostInventory, wave: number, hostTimeout: number, vmTimeout: number): RestartPlanStep[] {
  const base = { wave, hostId: host.id, hostName: host.name };
  const key = (kind: string): string => `host:${host.id}:${kind}`;
  // WOL packets are fire-and-forget; the SSH wait carries most of the boot time. It keeps at
  // least 80 % of the host budget, so a short budget (tests, a demo) still leaves time to boot.
  const sshWait = Math.max(hostTimeout - 70, Math.ceil(hostTimeout * 0.8), 1);
  const steps: RestartPlanStep[] = [
    { ...base, key: key('wake'), kind: 'wake', dependsOn: [], timeoutSeconds: 10 },
    {
      ...base,
      key: key('wait-ssh'),
      kind: 'wait-ssh',
      dependsOn: [key('wake')],
      timeoutSeconds: sshWait,
    },
    { ...base, key: key('verify-esxi'), kind: 'verify-esxi', dependsOn: [key('wait-ssh')], timeoutSeconds: 60 },
  ];
  // With autostart enabled the host starts the VMs of its sequence itself; only the running VMs
  // outside the sequence are left to us. With autostart disabled, every VM that was running.
  const vmIds = host.vms
    .filter((vm) => vm.powerState === 'on' && (host.autostartEnabled !== true || vm.autostartOrder === undefined))
    .sort(
      (a, b) =>
        (a.autostartOrder ?? Number.POSITIVE_INFINITY) - (b.autostartOrder ?? Number.POSITIVE_INFINITY) ||
        a.id.localeCompare(b.id),
    )
    .map((vm) => vm.id);
  if (vmIds.length > 0) {
    steps.push({
      ...base,
      key: key('power-on-vms'),
      kind: 'power-on-vms',
      dependsOn: [key('verify-esxi')],
      timeoutSeconds: vmTimeout,
      vmIds,
    });
  }
  return steps;
}

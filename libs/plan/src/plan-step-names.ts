/**
 * The names a person reads a plan step by: its host (the host's name now, else the one written
 * into the step when the plan was made), its VM and its restart wave, all from what the plan
 * recorded. Steps written by older versions or of other kinds simply lack what they lack.
 */
export interface PlanStepNames {
  readonly hostName: string | null;
  readonly vmName: string | null;
  readonly wave: number | null;
}

const field = (detail: unknown, name: string): unknown =>
  typeof detail === 'object' && detail !== null ? (detail as Record<string, unknown>)[name] : undefined;

export function planStepNames(step: { detail: unknown; host: { name: string } | null }): PlanStepNames {
  const recordedHost = field(step.detail, 'hostName');
  const vmName = field(step.detail, 'vmName');
  const vmId = field(step.detail, 'vmId');
  const wave = field(step.detail, 'wave');
  return {
    hostName: step.host?.name ?? (typeof recordedHost === 'string' ? recordedHost : null),
    // A VM without a recorded name is still named by its vmid rather than not at all.
    vmName: typeof vmName === 'string' ? vmName : typeof vmId === 'string' ? `vmid ${vmId}` : null,
    wave: typeof wave === 'number' ? wave : null,
  };
}

/** The smallest battery runtime of the plan's hosts when a shutdown plan was made (its detail.built). */
export function planBatteryRuntimeSeconds(detail: unknown): number | null {
  const runtime = field(field(detail, 'built'), 'batteryRuntimeSeconds');
  return typeof runtime === 'number' && Number.isFinite(runtime) ? runtime : null;
}

const ACTION_WORDS: Readonly<Record<string, string>> = {
  'host-power-off': 'power off host',
  wake: 'wake (Wake-on-LAN)',
  'wait-ssh': 'wait for SSH',
  'verify-esxi': 'verify ESXi',
  'power-on-vms': 'power on its VMs',
  'restart-gate': 'wave gate',
  'ups-power-cycle': 'power-cycle UPS',
  'deploy-install': 'install NutClient',
  'deploy-configure': 'configure NutClient',
  'deploy-uninstall': 'uninstall NutClient',
};

/** What a step does, in words a person reads (host histories, reports). */
export function stepInWords(step: { action: string; detail: unknown }): string {
  if (step.action === 'vm-stop') return `stop VM ${planStepNames({ detail: step.detail, host: null }).vmName ?? '?'}`;
  return ACTION_WORDS[step.action] ?? step.action;
}

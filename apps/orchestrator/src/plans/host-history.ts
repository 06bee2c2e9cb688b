import { type HostPlanRow } from '@nutfleet/plan';

import { type HostPlanDto } from './host-history.dto';
import { planStepNames } from './plan-step-names';

const WORDS: Record<string, string> = {
  'host-power-off': 'power off host',
  wake: 'wake (Wake-on-LAN)',
  'wait-ssh': 'wait for SSH',
  'verify-esxi': 'verify ESXi',
  'power-on-vms': 'power on its VMs',
  'deploy-install': 'install NutClient',
  'deploy-configure': 'configure NutClient',
  'deploy-uninstall': 'uninstall NutClient',
};
/** Worst first: the state that says most about how the plan went for the host. */
const RANK = ['FAILED', 'CANCELLED', 'RUNNING', 'QUEUED', 'PENDING', 'SKIPPED', 'SUCCEEDED'];
const iso = (d: Date | null): string | null => d?.toISOString() ?? null;

/** One plan as one host lived it: its steps in words and its worst outcome. */
export function hostPlanView(row: HostPlanRow): HostPlanDto {
  const states = row.steps.map((s) => s.state as string);
  return {
    planId: row.plan.id,
    kind: row.plan.kind,
    mode: row.plan.mode,
    planState: row.plan.state,
    reason: row.plan.reason,
    createdAt: row.plan.createdAt.toISOString(),
    result: RANK.find((state) => states.includes(state)) ?? states[0] ?? 'PENDING',
    steps: row.steps.map((s) => {
      const vm = planStepNames({ detail: s.detail, host: null }).vmName;
      return {
        what: s.action === 'vm-stop' ? `stop VM ${vm ?? '?'}` : (WORDS[s.action] ?? s.action),
        state: s.state,
        startedAt: iso(s.startedAt),
        finishedAt: iso(s.finishedAt),
        error: s.error,
      };
    }),
  };
}

import { Inject, Injectable } from '@nestjs/common';

import { type AutoStartDefaults, type AutoStartEntry, vim } from '@nutfleet/esxi';
import { readRestartStepDetail } from '@nutfleet/plan';
import { errorText } from '@nutfleet/runtime';

import { type ClaimedStep, stepHost } from '../claimed-step';
import { HOST_SESSIONS, type HostSessions } from '../host-sessions';
import { type StepHandler } from '../step-handler';
import { type StepOutcome } from '../step-outcome';

/** Whether the host starts this VM itself at boot (autostart enabled and the VM in its sequence). */
export function hostAutostarts(
  defaults: AutoStartDefaults,
  sequence: readonly AutoStartEntry[],
  vmId: number,
): boolean {
  return defaults.enabled && sequence.some((e) => e.vmId === vmId && e.startOrder > 0 && e.startAction === 'powerOn');
}

/**
 * Powers on, in autostart order, the VMs that were running before the outage and that the host
 * does not start itself (read again now: the autostart settings may have changed since the plan).
 * Idempotent: a VM already on is left alone. One VM failing does not stop the others.
 */
@Injectable()
export class PowerOnVmsStepHandler implements StepHandler {
  public readonly actions = ['power-on-vms'] as const;
  public readonly mode = 'ARMED';

  public constructor(@Inject(HOST_SESSIONS) private readonly sessions: HostSessions) {}

  public async run(step: ClaimedStep): Promise<StepOutcome> {
    const detail = readRestartStepDetail(step.detail);
    return this.sessions.withHost(stepHost(step), async ({ host }) => {
      const [defaults, sequence] = await Promise.all([vim.autostartDefaults(host), vim.autostartSequence(host)]);
      const lines: string[] = [];
      const failures: string[] = [];
      for (const id of detail.vmIds ?? []) {
        const vmId = Number(id);
        try {
          const state = await vim.powerGetState(host, vmId);
          if (state === 'poweredOn') lines.push(`${vmId}: already on`);
          else if (hostAutostarts(defaults, sequence, vmId)) lines.push(`${vmId}: left to the host's autostart`);
          else {
            await vim.powerOn(host, vmId, { timeoutMs: 60_000 });
            lines.push(`${vmId}: powered on`);
          }
        } catch (error) {
          failures.push(`${vmId}: ${errorText(error)}`);
        }
      }
      const output = `${detail.hostName}: ${lines.join('; ') || 'no VM to power on'}`;
      return failures.length === 0
        ? { state: 'SUCCEEDED', output }
        : {
            state: 'FAILED',
            output,
            error: `${detail.hostName}: ${failures.length} VM(s) did not power on (${failures.join('; ')}): power them on from the Host Client`,
          };
    });
  }
}

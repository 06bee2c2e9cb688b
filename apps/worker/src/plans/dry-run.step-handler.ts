import { Inject, Injectable } from '@nestjs/common';

import { vim } from '@nutfleet/esxi';

import { readShutdownStepDetail } from '@nutfleet/plan';

import { type ClaimedStep, stepHost } from './claimed-step';
import { HOST_SESSIONS, type HostSessions } from './host-sessions';
import { type StepHandler } from './step-handler';
import { type StepOutcome } from './step-outcome';

/**
 * Dry-run: every read-only part of a step (connect with the pinned key, list VMs, read power
 * states) and a report of what would have been sent, with the predicted timings. It never sends
 * a state-changing command; the e2e test proves it from the simulator's command log.
 */
@Injectable()
export class DryRunStepHandler implements StepHandler {
  public readonly actions = ['vm-stop', 'host-power-off'] as const;
  public readonly mode = 'DRY_RUN';

  public constructor(@Inject(HOST_SESSIONS) private readonly sessions: HostSessions) {}

  public async run(step: ClaimedStep): Promise<StepOutcome> {
    const detail = readShutdownStepDetail(step.detail);
    const timing = `predicted ${detail.predictedStartSeconds}–${detail.predictedEndSeconds} s after start, deadline +${detail.deadlineOffsetSeconds} s`;
    const ladder = detail.ladder.map((r) => `${r.action} (${r.timeoutSeconds} s)`).join(' → ');
    return this.sessions.withHost(stepHost(step), async ({ host }) => {
      if (detail.kind === 'vm-stop') {
        const vmId = Number(detail.vmId);
        const state = await vim.powerGetState(host, vmId);
        const would = state === 'poweredOn' ? `would run ${ladder}` : 'would do nothing (not running)';
        return {
          state: 'SUCCEEDED',
          output: `dry-run: VM ${detail.vmName ?? vmId} (${vmId}) on ${detail.hostName} is ${state}; ${would}; ${detail.why}; ${timing}`,
        };
      }
      const { vms } = await vim.getAllVms(host);
      return {
        state: 'SUCCEEDED',
        output: `dry-run: connected to ${detail.hostName}, ${vms.length} VM(s) registered; would send poweroff (${ladder}); ${timing}`,
      };
    });
  }
}

import { Inject, Injectable } from '@nestjs/common';

import { esxcli, vim } from '@nutfleet/esxi';
import { readRestartStepDetail } from '@nutfleet/plan';
import { errorText } from '@nutfleet/runtime';

import { type ClaimedStep, stepHost } from '../claimed-step';
import { HOST_SESSIONS, type HostSessions } from '../host-sessions';
import { type StepHandler } from '../step-handler';
import { sleep, type StepOutcome } from '../step-outcome';
import { backoffMs, needsOperator } from './host-wait';

/**
 * ESXi is back when `esxcli system version get` answers and hostd lists the VMs
 * (`vim-cmd vmsvc/getallvms`): right after boot SSH answers before hostd does, so both are
 * retried with backoff until the step's timeout.
 */
@Injectable()
export class VerifyEsxiStepHandler implements StepHandler {
  public readonly actions = ['verify-esxi'] as const;
  public readonly mode = 'ARMED';

  public constructor(@Inject(HOST_SESSIONS) private readonly sessions: HostSessions) {}

  public async run(step: ClaimedStep): Promise<StepOutcome> {
    const detail = readRestartStepDetail(step.detail);
    const deadline = (step.startedAt ?? new Date()).getTime() + detail.timeoutSeconds * 1000;
    let last = '';
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.sessions.withHost(stepHost(step), async ({ host }) => {
          const version = await esxcli.systemVersionGet(host, { timeoutMs: 15_000 });
          const { vms } = await vim.getAllVms(host, { timeoutMs: 15_000 });
          return {
            state: 'SUCCEEDED' as const,
            output: `${detail.hostName}: ESXi ${version.version} build ${version.build}, hostd answers (${vms.length} VM(s) registered)`,
          };
        });
      } catch (error) {
        if (needsOperator(error)) throw error;
        last = errorText(error);
      }
      if (Date.now() >= deadline) {
        return {
          state: 'FAILED',
          output: '',
          error: `${detail.hostName} answers SSH but ESXi did not verify within ${detail.timeoutSeconds} s (${last}): check hostd on its console (services.sh restart).`,
        };
      }
      await sleep(Math.min(backoffMs(attempt), Math.max(100, deadline - Date.now())));
    }
  }
}

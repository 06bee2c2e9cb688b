import { Inject, Injectable } from '@nestjs/common';

import { readRestartStepDetail } from '@nutfleet/plan';
import { errorText } from '@nutfleet/runtime';

import { HostNotFoundError } from '../../hosts/host-connector.errors';
import { type ClaimedStep } from '../claimed-step';
import { HOST_SESSIONS, type HostSessions } from '../host-sessions';
import { type StepHandler } from '../step-handler';
import { sleep, type StepOutcome } from '../step-outcome';
import { STEP_STORE, type StepStore } from '../worker-plan.store';
import { backoffMs, needsOperator, tcpAnswers } from './host-wait';

const PROBE_TIMEOUT_MS = 1000;
const MAX_POLL_MS = 2000;

/**
 * Waits for a woken host: first its SSH port answers (a cheap TCP probe while it boots), then a
 * real session through the HostConnector (pinned host key, stored credentials). The wait is
 * counted from its magic packets (the wake step's end), so a resumed job does not start over;
 * past it the host is reported and stops holding its wave.
 */
@Injectable()
export class WaitSshStepHandler implements StepHandler {
  public readonly actions = ['wait-ssh'] as const;
  public readonly mode = 'ARMED';

  public constructor(
    @Inject(HOST_SESSIONS) private readonly sessions: HostSessions,
    @Inject(STEP_STORE) private readonly steps: Pick<StepStore, 'stepFinishedAt'>,
  ) {}

  public async run(step: ClaimedStep): Promise<StepOutcome> {
    const detail = readRestartStepDetail(step.detail);
    const hostId = step.hostId ?? '';
    const row = step.host;
    if (row === null) throw new HostNotFoundError(hostId);
    const wokenAt = (
      (await this.steps.stepFinishedAt(step.planId, hostId, 'wake')) ??
      step.startedAt ??
      new Date()
    ).getTime();
    const deadline = wokenAt + detail.timeoutSeconds * 1000;
    let lastProblem = 'SSH port closed';
    for (let attempt = 0; ; attempt++) {
      if (await tcpAnswers(row.address, row.sshPort, PROBE_TIMEOUT_MS)) {
        try {
          await this.sessions.withHost(row, ({ host }) => host.exec(['true'], { timeoutMs: 5000 }));
          const after = Math.round((Date.now() - wokenAt) / 100) / 10;
          return {
            state: 'SUCCEEDED',
            output: `${detail.hostName}: SSH answers with its pinned key ${after} s after the magic packets`,
          };
        } catch (error) {
          if (needsOperator(error)) throw error;
          lastProblem = `SSH port open but no session yet (${errorText(error)})`;
        }
      }
      if (Date.now() >= deadline) {
        return {
          state: 'FAILED',
          output: `${detail.hostName}: last seen: ${lastProblem}`,
          error:
            `${detail.hostName} did not come back: no SSH session ${detail.timeoutSeconds} s after its magic packets (${lastProblem}). ` +
            `Reported; it no longer holds wave ${detail.wave}. Check Wake-on-LAN in its BIOS/NIC settings, its MAC and broadcast address in the inventory, or power it on by hand.`,
        };
      }
      await sleep(Math.min(backoffMs(attempt, MAX_POLL_MS), Math.max(100, deadline - Date.now())));
    }
  }
}

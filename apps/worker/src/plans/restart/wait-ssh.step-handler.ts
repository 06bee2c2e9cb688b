import { Inject, Injectable } from '@nestjs/common';

import { type PlanStep, PrismaService } from '@nutfleet/db';

import { HOST_SESSIONS, type HostSessions } from '../host-sessions';
import { sleep, type StepOutcome } from '../step-outcome';
import { backoffMs, errorText, needsOperator, tcpAnswers } from './host-wait';
import { type RestartStepDetail } from './restart-step.detail';

const PROBE_TIMEOUT_MS = 1000;
const MAX_POLL_MS = 2000;

/**
 * Waits for a woken host: first its SSH port answers (a cheap TCP probe while it boots), then a
 * real session through the HostConnector (pinned host key, stored credentials). The wait is
 * counted from its magic packets (the wake step's end), so a resumed job does not start over;
 * past it the host is reported and stops holding its wave.
 */
@Injectable()
export class WaitSshStepHandler {
  public constructor(
    @Inject(HOST_SESSIONS) private readonly sessions: HostSessions,
    private readonly prisma: PrismaService,
  ) {}

  public async run(step: PlanStep, detail: RestartStepDetail): Promise<StepOutcome> {
    const hostId = step.hostId ?? '';
    const [row, wake] = await Promise.all([
      this.prisma.host.findUniqueOrThrow({ where: { id: hostId }, select: { address: true, sshPort: true } }),
      this.prisma.planStep.findFirst({
        where: { planId: step.planId, hostId, action: 'wake' },
        select: { finishedAt: true },
      }),
    ]);
    const wokenAt = (wake?.finishedAt ?? step.startedAt ?? new Date()).getTime();
    const deadline = wokenAt + detail.timeoutSeconds * 1000;
    let lastProblem = 'SSH port closed';
    for (let attempt = 0; ; attempt++) {
      if (await tcpAnswers(row.address, row.sshPort, PROBE_TIMEOUT_MS)) {
        try {
          await this.sessions.withHost(hostId, ({ host }) => host.exec(['true'], { timeoutMs: 5000 }));
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

import { Inject, Injectable } from '@nestjs/common';

import { type CommandTarget, vim, VimFaultError } from '@nutfleet/esxi';
import { readVmProgress, readVmStopDetail, type VmStepProgress } from '@nutfleet/plan';
import { type VmActionRung } from '@nutfleet/power';

import { type ClaimedStep, stepHost } from './claimed-step';
import { neverDelivered } from './command-delivery';
import { HOST_SESSIONS, type HostSessions } from './host-sessions';
import { LEAD_WAIT_MAX_MS, LeadCommandsGate } from './lead-commands.gate';
import { NO_STEP_SIGNALS, type StepHandler, type StepSignals } from './step-handler';
import { sleep, type StepOutcome } from './step-outcome';
import { STEP_STORE, type StepStore } from './worker-plan.store';
import { afterRung, isStopped, remainingRungMs, type RungOutcome } from './vm-escalation';

/**
 * Power-state polls back off from 250 ms to 2 s: a guest shutdown takes seconds to minutes, and
 * with a 1,000-host stage fast polls of the first VMs would take the CPU (worker and hosts' sshd)
 * that the hosts still waiting for their first command need.
 */
const POLL_FIRST_MS = 250;
const POLL_MAX_MS = 2000;

/**
 * Stops one VM by its escalation ladder (guest shutdown → [suspend] → power off). Progress is
 * saved before each command (once the host's shell has answered, right before the line leaves),
 * so a job resumed after a crash continues on the same rung with the time it had left instead of
 * starting over or sending the command again (a command that provably never left — no session —
 * is unmarked, so the retry sends it).
 *
 * The first command goes out without reading the VM's power state first: in an outage that read
 * would put a round trip in front of every host's first command. A VM already off or suspended
 * refuses the command with a fault, and only then is its state read.
 */
@Injectable()
export class VmStopStepHandler implements StepHandler {
  public readonly actions = ['vm-stop'] as const;
  public readonly mode = 'ARMED';

  public constructor(
    @Inject(HOST_SESSIONS) private readonly sessions: HostSessions,
    @Inject(STEP_STORE) private readonly plans: Pick<StepStore, 'saveProgress'>,
    private readonly leads: LeadCommandsGate,
  ) {}

  public async run(step: ClaimedStep, signals: StepSignals = NO_STEP_SIGNALS): Promise<StepOutcome> {
    const detail = readVmStopDetail(step.detail);
    const vmId = Number(detail.vmId);
    const label = `VM ${detail.vmName ?? detail.vmId} (${vmId}) on ${detail.hostName}`;
    return this.sessions.withHost(stepHost(step), async ({ host }) => {
      const log: string[] = [];
      let progress: VmStepProgress = readVmProgress(step.progress) ?? {
        rungIndex: 0,
        rungStartedAt: Date.now(),
        sent: false,
      };
      // A job resumed after a crash waits out the rung it had sent instead of sending it again.
      let resumed = progress.sent;
      for (;;) {
        const rung = detail.ladder[progress.rungIndex];
        if (rung === undefined) return { state: 'FAILED', output: log.join('\n'), error: `${label}: empty ladder` };
        let outcome: RungOutcome;
        let refused: string | undefined;
        if (resumed) {
          signals.commandSent();
          log.push(`resumed ${rung.action} sent before a restart`);
          resumed = false;
        } else {
          const rungIndex = progress.rungIndex;
          let marking: Promise<void> | undefined;
          // The write-ahead mark, made once the host's shell has answered, right before the line leaves.
          const mark = (): Promise<void> => {
            if (marking === undefined) {
              progress = { rungIndex, rungStartedAt: Date.now(), sent: true };
              marking = this.plans.saveProgress(step.id, { ...progress }, log.join('; '));
            }
            return marking;
          };
          try {
            refused = await send(host, vmId, rung, mark);
            // A command target that does not call beforeSend still leaves the step marked.
            if (marking === undefined) await mark();
          } catch (error) {
            if (marking !== undefined && neverDelivered(error)) {
              // Unmarked after the mark's own write, so the two cannot land in the wrong order.
              await marking.catch(() => undefined);
              await this.plans.saveProgress(step.id, { ...progress, sent: false }, log.join('; '));
            }
            throw error;
          } finally {
            signals.commandSent();
          }
        }
        if (refused !== undefined && isStopped(toPower(await vim.powerGetState(host, vmId)))) {
          if (log.length === 0) return { state: 'SKIPPED', output: `${label} was already stopped` };
          log.push(`${rung.action} refused: the VM had stopped`);
          return { state: 'SUCCEEDED', output: `${label}: ${log.join('; ')}` };
        }
        if (refused !== undefined) {
          log.push(`${rung.action} refused: ${refused}`);
          outcome = 'refused';
        } else {
          outcome = (await waitStopped(
            host,
            vmId,
            remainingRungMs(rung, progress.rungStartedAt, Date.now()),
            this.leads,
          ))
            ? 'stopped'
            : 'timed-out';
          log.push(
            `${rung.action}: ${outcome === 'stopped' ? 'VM stopped' : `not stopped within ${rung.timeoutSeconds} s`}`,
          );
        }
        const next = afterRung(detail.ladder, progress.rungIndex, outcome);
        if (next.kind === 'done') return { state: 'SUCCEEDED', output: `${label}: ${log.join('; ')}` };
        if (next.kind === 'exhausted')
          return { state: 'FAILED', output: log.join('; '), error: `${label}: ${next.reason}` };
        log.push(`escalating to ${next.rung.action}`);
        progress = { rungIndex: next.rungIndex, rungStartedAt: Date.now(), sent: false };
      }
    });
  }
}

/** Sends the rung's command; returns the refusal text when the host refused it (escalate). */
async function send(
  host: CommandTarget,
  vmId: number,
  rung: VmActionRung,
  beforeSend: () => Promise<void>,
): Promise<string | undefined> {
  try {
    if (rung.action === 'guest-shutdown') await vim.powerShutdown(host, vmId, { beforeSend });
    else if (rung.action === 'suspend') await vim.powerSuspend(host, vmId, { beforeSend });
    else await vim.powerOff(host, vmId, { beforeSend });
    return undefined;
  } catch (error) {
    // A vim fault (no Tools, invalid power state) is the host's answer: escalate, do not retry.
    if (error instanceof VimFaultError) return error.message;
    throw error;
  }
}

/** Polls the VM's power state; a poll waits for the hosts' first commands this worker still has to send. */
async function waitStopped(
  host: CommandTarget,
  vmId: number,
  budgetMs: number,
  leads: LeadCommandsGate,
): Promise<boolean> {
  const until = Date.now() + budgetMs;
  let pollMs = POLL_FIRST_MS;
  for (;;) {
    await sleep(Math.min(pollMs, Math.max(0, until - Date.now())));
    await leads.clear(Math.min(LEAD_WAIT_MAX_MS, Math.max(0, until - Date.now())));
    if (isStopped(toPower(await vim.powerGetState(host, vmId)))) return true;
    if (Date.now() >= until) return false;
    pollMs = Math.min(POLL_MAX_MS, pollMs * 2);
  }
}

function toPower(state: 'poweredOn' | 'poweredOff' | 'suspended'): 'on' | 'off' | 'suspended' {
  return state === 'poweredOn' ? 'on' : state === 'poweredOff' ? 'off' : 'suspended';
}

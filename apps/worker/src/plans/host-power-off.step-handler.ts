import { Inject, Injectable, Optional } from '@nestjs/common';

import { ConnectionError, ConnectionLostError, ConnectTimeoutError, hostServices } from '@nutfleet/esxi';

import { type HostPowerOffStepDetail, readHostPowerOffDetail } from '@nutfleet/plan';
import { errorText } from '@nutfleet/runtime';

import { type ClaimedStep, stepHost } from './claimed-step';
import { neverDelivered } from './command-delivery';
import { HOST_SESSIONS, type HostSessions } from './host-sessions';
import { NO_STEP_SIGNALS, type StepHandler, type StepSignals } from './step-handler';
import { sleep, type StepOutcome } from './step-outcome';
import { stopVmsOfUnknownList } from './unknown-vms.stopper';
import { STEP_STORE, type StepStore } from './worker-plan.store';

/** The statements of the at-most-once gate. */
export type PowerOffCommandLedger = Pick<
  StepStore,
  'claimPowerOffCommand' | 'reclaimPowerOffCommand' | 'releasePowerOffCommand' | 'recordPlanWarning'
>;

export interface PowerOffTiming {
  readonly verifyPollMs: number;
  readonly probeTimeoutMs: number;
  /** Shorter than any ESXi power cycle (shutdown + POST + boot to SSH takes minutes). */
  readonly sameBootWindowMs: number;
  /** A delivered poweroff drops SSH within seconds once the plan's VM steps have stopped the VMs. */
  readonly settleMs: number;
  /** A host whose VMs were unknown: longest wait for its guests' shutdown (at most half the time to its deadline). */
  readonly unknownVmsGuestMs: number;
  readonly unknownVmsPollMs: number;
}

export const DEFAULT_POWER_OFF_TIMING: PowerOffTiming = {
  verifyPollMs: 500,
  probeTimeoutMs: 3000,
  sameBootWindowMs: 60_000,
  settleMs: 5000,
  unknownVmsGuestMs: 120_000,
  unknownVmsPollMs: 2000,
};

/** Another attempt claimed the poweroff first: this one only verifies (never thrown out of the handler). */
class PowerOffClaimedElsewhere extends Error {
  public constructor() {
    super('poweroff already claimed by another attempt');
    this.name = 'PowerOffClaimedElsewhere';
  }
}

/** Overrides the timing (tests compress it); absent in the app. */
export const POWER_OFF_TIMING = Symbol('POWER_OFF_TIMING');

/**
 * Powers a host off with ESXi's plain `poweroff` — at most once per plan. The step row's
 * `commandSentAt` is set by a conditional UPDATE *before* the command leaves; whoever finds it
 * already set (a retry, a job resumed after `kill -9`, a second worker, a re-enqueue after a
 * Redis loss) never sends again and only verifies that the host went down. It is cleared only
 * when the command provably never reached the host (no SSH session could be used).
 *
 * What "at most once" protects against: a late duplicate reaching a host that has gone down and
 * come back since (power restored, a restart plan or BIOS "power on after AC loss" booted it) —
 * it would take an intentionally running host down again. A second `poweroff` to a host still in
 * the SAME boot is harmless (it is already going down, or the first never arrived).
 *
 * The claim is made once the host's shell has answered (ExecOptions.beforeSend) and the line
 * leaves as soon as the claim is saved; a worker killed in between would still leave the
 * command unsent and the host up. So a resumed step whose host still answers SSH resends ONCE
 * (a compare-and-set moves the claim, so parallel resumes cannot both send), but only while the
 * claim is younger than the same-boot window (a minute): no ESXi host powers off and boots back to SSH that
 * fast, so the host is provably still in the boot the first command was meant for, where a
 * duplicate is harmless. An older claim is only verified, as before.
 *
 * A host whose VM list could not be read when the plan was made has no VM steps: before its
 * poweroff the step reads the list again and stops the running VMs (`stopVmsOfUnknownList`). If
 * it still cannot be read, a warning naming the host is recorded with the plan's events and the
 * poweroff goes ahead: ESXi's `poweroff` runs the host's own autostop sequence.
 */
@Injectable()
export class HostPowerOffStepHandler implements StepHandler {
  public readonly actions = ['host-power-off'] as const;
  public readonly mode = 'ARMED';

  public constructor(
    @Inject(HOST_SESSIONS) private readonly sessions: HostSessions,
    @Inject(STEP_STORE) private readonly plans: PowerOffCommandLedger,
    @Optional() @Inject(POWER_OFF_TIMING) private readonly timing: PowerOffTiming = DEFAULT_POWER_OFF_TIMING,
  ) {}

  public async run(step: ClaimedStep, signals: StepSignals = NO_STEP_SIGNALS): Promise<StepOutcome> {
    const detail = readHostPowerOffDetail(step.detail);
    const deadline = Math.max(
      step.deadlineAt?.getTime() ?? 0,
      Date.now() + (detail.ladder[0]?.timeoutSeconds ?? 180) * 1000,
    );
    if (step.commandSentAt !== null) {
      // A resumed step sends at most once more, later: it holds no other step back.
      signals.commandSent();
      return this.resume(step, step.commandSentAt, detail, deadline);
    }
    let claimedAt: Date | undefined;
    let vmsNote: string | undefined;
    try {
      const result = await this.sessions
        .withHost(stepHost(step), async ({ host }) => {
          if (detail.vmsUnknown !== undefined) vmsNote = await this.stopUnknownVms(step, detail, host, deadline);
          // The claim is made as late as possible: once the host's shell has answered, right
          // before the line leaves, so a host we cannot reach is never marked sent.
          const claim = async (): Promise<void> => {
            claimedAt = await this.plans.claimPowerOffCommand(step.id, new Date());
            if (claimedAt === undefined) throw new PowerOffClaimedElsewhere();
          };
          try {
            return await hostServices.hostPoweroff(host, { timeoutMs: 15_000, beforeSend: claim });
          } catch (error) {
            if (error instanceof PowerOffClaimedElsewhere) return undefined;
            throw error;
          }
        })
        .finally(() => signals.commandSent());
      const before = vmsNote === undefined ? '' : `${vmsNote}; `;
      if (claimedAt === undefined)
        return this.verifyDown(
          step,
          detail,
          deadline,
          `${before}poweroff already sent by another attempt; not resending`,
        );
      return this.verifyDown(step, detail, deadline, `${before}poweroff sent (${result ?? 'sent'})`);
    } catch (error) {
      if (claimedAt !== undefined && neverDelivered(error)) await this.plans.releasePowerOffCommand(step.id, claimedAt);
      else if (claimedAt !== undefined) {
        // The command may have reached the host: from now on only verification is allowed.
        return this.verifyDown(step, detail, deadline, `poweroff sent, outcome unknown (${errorText(error)})`);
      }
      throw error;
    }
  }

  /** Stops the running VMs of a host planned without them; reports (and records) a list still unreadable. */
  private async stopUnknownVms(
    step: ClaimedStep,
    detail: HostPowerOffStepDetail,
    host: Parameters<typeof stopVmsOfUnknownList>[0],
    deadline: number,
  ): Promise<string> {
    const outcome = await stopVmsOfUnknownList(host, detail.hostName, {
      guestBudgetMs: Math.min(this.timing.unknownVmsGuestMs, Math.max(0, (deadline - Date.now()) / 2)),
      pollMs: this.timing.unknownVmsPollMs,
    });
    if (outcome.kind === 'stopped') return outcome.note;
    const message = `${detail.hostName}: its VM list could not be read when the plan was made (${detail.vmsUnknown ?? 'unknown'}) nor now (${outcome.error}); powered off with ESXi poweroff, whose autostop sequence is all that stops its VMs`;
    await this.plans.recordPlanWarning(step.planId, {
      code: 'VMS_UNKNOWN',
      hostId: step.hostId,
      hostName: detail.hostName,
      message,
    });
    return `WARNING ${message}`;
  }

  /** A claim found on resume: verify, or resend once if the command was provably lost in this boot. */
  private async resume(
    step: ClaimedStep,
    claimed: Date,
    detail: HostPowerOffStepDetail,
    deadline: number,
  ): Promise<StepOutcome> {
    const sentNote = `poweroff was claimed at ${claimed.toISOString()}`;
    await sleep(Math.max(0, claimed.getTime() + this.timing.settleMs - Date.now()));
    if (Date.now() - claimed.getTime() >= this.timing.sameBootWindowMs || !(await this.answers(stepHost(step)))) {
      return this.verifyDown(step, detail, deadline, `${sentNote}; not resending`);
    }
    let reclaimed: Date | undefined;
    try {
      const result = await this.sessions.withHost(stepHost(step), async ({ host }) => {
        reclaimed = await this.plans.reclaimPowerOffCommand(step.id, claimed, new Date());
        if (reclaimed === undefined) return undefined;
        return hostServices.hostPoweroff(host, { timeoutMs: 15_000 });
      });
      const note =
        reclaimed === undefined
          ? `${sentNote}; another attempt resends`
          : `${sentNote}, the host still answered ${Math.round((Date.now() - claimed.getTime()) / 1000)} s later in the same boot: resent (${result ?? 'sent'})`;
      return this.verifyDown(step, detail, deadline, note);
    } catch (error) {
      return this.verifyDown(step, detail, deadline, `${sentNote}; resend failed (${errorText(error)})`);
    }
  }

  /** Down = no SSH session can be opened any more. Polls until the deadline; never resends. */
  private async verifyDown(
    step: ClaimedStep,
    detail: HostPowerOffStepDetail,
    deadline: number,
    sent: string,
  ): Promise<StepOutcome> {
    for (;;) {
      const up = await this.answers(stepHost(step));
      if (!up) return { state: 'SUCCEEDED', output: `${detail.hostName}: ${sent}; host no longer answers (down)` };
      if (Date.now() >= deadline) {
        return {
          state: 'FAILED',
          output: `${detail.hostName}: ${sent}`,
          error: `${detail.hostName} still answers SSH at its deadline after poweroff was sent; nutfleet resends only within a minute of the first attempt (never into a later boot): check the host's console`,
        };
      }
      await sleep(this.timing.verifyPollMs);
    }
  }

  private async answers(host: ReturnType<typeof stepHost>): Promise<boolean> {
    try {
      await this.sessions.withHost(host, ({ host }) => host.exec(['true'], { timeoutMs: this.timing.probeTimeoutMs }));
      return true;
    } catch (error) {
      if (isUnreachable(error)) return false;
      throw error;
    }
  }
}

function isUnreachable(error: unknown): boolean {
  return (
    error instanceof ConnectionError || error instanceof ConnectTimeoutError || error instanceof ConnectionLostError
  );
}

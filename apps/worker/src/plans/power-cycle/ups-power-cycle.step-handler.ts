import { Inject, Injectable, Optional } from '@nestjs/common';

import { PrismaService } from '@nutfleet/db';
import { ConnectionError, ConnectionLostError, ConnectTimeoutError } from '@nutfleet/esxi';
import {
  describeNutWrite,
  type NutClient,
  NutServerError,
  type NutWriteResult,
  runNutWriteSequence,
} from '@nutfleet/nut';
import { readUpsPowerCycleDetail, type UpsPowerCycleStepDetail, upsPowerCycleSettings } from '@nutfleet/plan';
import {
  decidePowerCycle,
  type PowerCycleDecision,
  type PowerCycleHost,
  planPowerCycleCommands,
  type PowerCycleSettings,
} from '@nutfleet/power';
import { errorText } from '@nutfleet/runtime';

import { type ClaimedStep } from '../claimed-step';
import { HOST_SESSIONS, type HostSessions } from '../host-sessions';
import { type StepHandler } from '../step-handler';
import { sleep, type StepOutcome } from '../step-outcome';
import { STEP_STORE, type StepStore } from '../worker-plan.store';
import { type FedHost, readFedHosts } from './power-cycle-hosts.reader';
import { recordPowerCycleEvent } from './power-cycle-events';
import { UpsCommandConnector } from './ups-command.connector';

export interface PowerCycleStepTiming {
  /** Between two evaluations while a host holds the cycle. */
  readonly pollMs: number;
  readonly probeTimeoutMs: number;
  readonly trackingTimeoutMs: number;
}

export const DEFAULT_POWER_CYCLE_STEP_TIMING: PowerCycleStepTiming = {
  pollMs: 2000,
  probeTimeoutMs: 3000,
  trackingTimeoutMs: 10_000,
};

/** Overrides the timing (tests compress it); absent in the app. */
export const POWER_CYCLE_STEP_TIMING = Symbol('POWER_CYCLE_STEP_TIMING');

/** The plan statements the step needs: its plan's cancel mark, its hosts' power-off steps, the at-most-once claim. */
export type PowerCycleLedger = Pick<StepStore, 'claimPowerOffCommand' | 'findPlan' | 'hostPowerOffSteps'>;

/** Another attempt claimed the command first: this one sends nothing. */
class AlreadyClaimedError extends Error {}
/** The plan was cancelled (power back before the point of no return) right before the send. */
class PlanCancelledError extends Error {}

/**
 * Power-cycles a UPS once every host it feeds is down — at most once per plan (so once per
 * outage: one automatic plan per outage). Each evaluation reads the plan's host steps, probes
 * over SSH the hosts past their deadline, reads `ups.status` live, and asks decidePowerCycle;
 * a hold is recorded as a timeline event naming the host, until the step's deadline. The send
 * writes the delays the UPS has writable, then the instant command(s), with TRACKING where the
 * server has it; `commandSentAt` is set by a compare-and-set right before the first INSTCMD, so
 * a retry, a resumed job or a second worker never sends it again. A refusal (CMD-NOT-SUPPORTED,
 * ACCESS-DENIED…) is an event and a failed step; the plan carries on.
 */
@Injectable()
export class UpsPowerCycleStepHandler implements StepHandler {
  public readonly actions = ['ups-power-cycle'] as const;
  public readonly mode = 'ARMED';

  public constructor(
    private readonly prisma: PrismaService,
    @Inject(HOST_SESSIONS) private readonly sessions: HostSessions,
    @Inject(STEP_STORE) private readonly ledger: PowerCycleLedger,
    private readonly connector: UpsCommandConnector,
    @Optional()
    @Inject(POWER_CYCLE_STEP_TIMING)
    private readonly timing: PowerCycleStepTiming = DEFAULT_POWER_CYCLE_STEP_TIMING,
  ) {}

  public async run(step: ClaimedStep): Promise<StepOutcome> {
    const detail = readUpsPowerCycleDetail(step.detail);
    const planId = step.plan.id;
    if (step.commandSentAt !== null) {
      return {
        state: 'SUCCEEDED',
        output: `${detail.upsAddress}: ${detail.action} was already sent at ${step.commandSentAt.toISOString()}; never sent twice`,
      };
    }
    const deadline = step.deadlineAt?.getTime() ?? Date.now() + 600_000;
    let lastHold = '';
    for (;;) {
      if ((await this.ledger.findPlan(planId))?.cancelledAt !== null)
        return { state: 'SKIPPED', output: `${detail.upsAddress}: the plan was cancelled; ${detail.action} not sent` };
      const ups = await this.prisma.ups.findUniqueOrThrow({
        where: { id: detail.upsId },
        include: { nutServer: true },
      });
      const settings = upsPowerCycleSettings(ups);
      const hosts = await readFedHosts(this.prisma, this.ledger, planId, detail.upsId);
      const { status, statusError } = await this.readStatus(ups.nutServer, ups.name);
      let decision = this.decide(detail, settings, ups.feedsUnmanagedLoads, hosts, [], status);
      if (decision.verdict === 'wait' && decision.probeSshHostIds.length > 0) {
        const silent = await this.silentHosts(decision.probeSshHostIds);
        decision = this.decide(detail, settings, ups.feedsUnmanagedLoads, hosts, silent, status);
      }
      const reasons = decision.reasons.map((r) => r.message).join('; ');
      if (decision.verdict === 'never') {
        await recordPowerCycleEvent(this.prisma, planId, detail, { event: 'ups-power-cycle-not-sent', reasons });
        return { state: 'SKIPPED', output: `${detail.upsAddress}: ${detail.action} not sent: ${reasons}` };
      }
      if (decision.verdict === 'send') return this.send(step, detail, settings, ups.nutServer, ups.name, reasons);
      const hold = statusError === undefined ? reasons : `${reasons} (${statusError})`;
      if (hold !== lastHold) {
        lastHold = hold;
        await recordPowerCycleEvent(this.prisma, planId, detail, {
          event: 'ups-power-cycle-held',
          reasons: hold,
          holdingHosts: hosts
            .filter((h) => decision.verdict === 'wait' && decision.holdingHostIds.includes(h.hostId))
            .map((h) => h.name),
        });
      }
      if (Date.now() >= deadline) {
        await recordPowerCycleEvent(this.prisma, planId, detail, { event: 'ups-power-cycle-not-sent', reasons: hold });
        return {
          state: 'FAILED',
          output: `${detail.upsAddress}: ${detail.action} not sent`,
          error: `${detail.upsAddress}: ${detail.action} not sent by the step's deadline: ${hold}`,
        };
      }
      await sleep(this.timing.pollMs);
    }
  }

  private decide(
    detail: UpsPowerCycleStepDetail,
    settings: PowerCycleSettings,
    feedsUnmanagedLoads: boolean,
    hosts: readonly FedHost[],
    silentHostIds: readonly string[],
    status: readonly string[] | null,
  ): PowerCycleDecision {
    const withProbes: PowerCycleHost[] = hosts.map((h) =>
      silentHostIds.includes(h.hostId) ? { ...h, sshAnswers: false } : h,
    );
    return decidePowerCycle({
      upsId: detail.upsAddress,
      settings,
      hosts: withProbes,
      feedsUnmanagedLoads,
      status,
      sentAt: null,
      dryRun: false,
      now: Date.now(),
    });
  }

  /** `ups.status` tokens read live (no login needed), or null with why. */
  private async readStatus(
    server: Parameters<UpsCommandConnector['connect']>[0],
    upsName: string,
  ): Promise<{ status: string[] | null; statusError?: string }> {
    let client: NutClient | undefined;
    try {
      client = await this.connector.connect(server);
      const status = await client.getVar(upsName, 'ups.status');
      return { status: status.split(/\s+/).filter((t) => t !== '') };
    } catch (error) {
      return { status: null, statusError: `ups.status unreadable: ${errorText(error)}` };
    } finally {
      await client?.close();
    }
  }

  /** The hosts among `hostIds` whose SSH no longer answers (down); answering or unknown ones are left out. */
  private async silentHosts(hostIds: readonly string[]): Promise<string[]> {
    const silent: string[] = [];
    for (const hostId of hostIds) {
      try {
        await this.sessions.withHost(hostId, ({ host }) =>
          host.exec(['true'], { timeoutMs: this.timing.probeTimeoutMs }),
        );
      } catch (error) {
        if (
          error instanceof ConnectionError ||
          error instanceof ConnectTimeoutError ||
          error instanceof ConnectionLostError
        )
          silent.push(hostId);
      }
    }
    return silent;
  }

  private async send(
    step: ClaimedStep,
    detail: UpsPowerCycleStepDetail,
    settings: PowerCycleSettings,
    server: Parameters<UpsCommandConnector['connect']>[0],
    upsName: string,
    why: string,
  ): Promise<StepOutcome> {
    const planId = step.plan.id;
    let client: NutClient | undefined;
    let claimed = false;
    let results: NutWriteResult[] = [];
    try {
      const credentials = this.connector.credentials(server);
      client = await this.connector.connect(server);
      await client.authenticate(credentials);
      const commands = await client.listCommands(upsName);
      const writable = Object.keys(await client.listRw(upsName));
      const plan = planPowerCycleCommands(settings, { commands, writable });
      if (!plan.supported) {
        const message = `${detail.upsAddress} does not offer ${plan.missingCommands.join(', ')} (it offers: ${commands.join(', ') || 'no instant command'})`;
        await recordPowerCycleEvent(this.prisma, planId, detail, {
          event: 'ups-power-cycle-failed',
          code: 'CMD-NOT-SUPPORTED',
          error: message,
        });
        return { state: 'FAILED', output: `${detail.upsAddress}: ${detail.action} not sent`, error: message };
      }
      results = await runNutWriteSequence(client, upsName, plan.commands, {
        trackingTimeoutMs: this.timing.trackingTimeoutMs,
        onSend: async (request) => {
          if (request.kind !== 'instcmd' || claimed) return;
          if ((await this.ledger.findPlan(planId))?.cancelledAt !== null) throw new PlanCancelledError();
          if ((await this.ledger.claimPowerOffCommand(step.id, new Date())) === undefined)
            throw new AlreadyClaimedError();
          claimed = true;
        },
      });
      const outcome = results.map((r) => `${describeNutWrite(r.request)}: ${r.outcome}`).join(', ');
      await recordPowerCycleEvent(this.prisma, planId, detail, {
        event: 'ups-power-cycle-sent',
        reasons: why,
        requests: results.map((r) => ({ request: describeNutWrite(r.request), outcome: r.outcome })),
        skippedSettings: plan.skippedSettings.map((s) => s.reason),
        hostsItWillBoot: detail.hostNames,
      });
      const failed = results.find(
        (r) => r.outcome !== 'SUCCESS' && r.outcome !== 'UNTRACKED' && r.outcome !== 'PENDING',
      );
      return failed === undefined
        ? { state: 'SUCCEEDED', output: `${detail.upsAddress}: ${detail.action} sent (${outcome}); ${why}` }
        : {
            state: 'FAILED',
            output: `${detail.upsAddress}: ${outcome}`,
            error: `${detail.upsAddress}: the driver answered ${failed.outcome} to ${describeNutWrite(failed.request)}`,
          };
    } catch (error) {
      if (error instanceof AlreadyClaimedError)
        return {
          state: 'SUCCEEDED',
          output: `${detail.upsAddress}: ${detail.action} already sent by another attempt; not resent`,
        };
      if (error instanceof PlanCancelledError)
        return { state: 'SKIPPED', output: `${detail.upsAddress}: the plan was cancelled; ${detail.action} not sent` };
      const code = error instanceof NutServerError ? error.code : error instanceof Error ? error.name : 'Error';
      const message = errorText(error);
      await recordPowerCycleEvent(this.prisma, planId, detail, {
        event: 'ups-power-cycle-failed',
        code,
        error: message,
        sent: claimed,
      });
      return {
        state: 'FAILED',
        output: `${detail.upsAddress}: ${detail.action} ${claimed ? 'sent, outcome unknown' : 'not sent'}`,
        error: `${detail.upsAddress}: ${code}: ${message}`,
      };
    } finally {
      await client?.close();
    }
  }
}

import { maxOf, minOf } from '@nutfleet/runtime';

import { adviseFailure } from '../report/failure-advice';
import { planReportPagePath } from '../report/plan-report-links';
import { readRestartStepDetail } from '../restart-step.detail';
import { readShutdownStepDetail, type ShutdownStepDetail } from '../shutdown-step.detail';
import { RESTART_STEP_ACTIONS, SHUTDOWN_STEP_ACTIONS } from '../step-actions';
import { compareDuration, secondsBetween } from './duration-comparison';
import {
  type DrillFailure,
  type DrillHostReport,
  type DrillPlanRows,
  type DrillReport,
  type DrillReportInput,
  type DrillStepReport,
  type DrillStepRow,
  type WakeVerification,
} from './drill-report.types';

/** What the wake step says when the host was already up and it sent nothing. */
export const NO_PACKET_SENT = 'no magic packet sent';
const FAILED_STATES = new Set(['FAILED']);
const UNFINISHED_STATES = new Set(['PENDING', 'QUEUED', 'RUNNING', 'SKIPPED', 'CANCELLED']);
const iso = (d: Date | null): string | null => (d === null ? null : d.toISOString());

function shutdownDetail(step: DrillStepRow): ShutdownStepDetail | null {
  if (!(SHUTDOWN_STEP_ACTIONS as readonly string[]).includes(step.action)) return null;
  try {
    return readShutdownStepDetail(step.detail);
  } catch {
    return null;
  }
}

function restartBudget(step: DrillStepRow): { step: number; host: number } | null {
  if (!(RESTART_STEP_ACTIONS as readonly string[]).includes(step.action)) return null;
  try {
    const d = readRestartStepDetail(step.detail);
    return { step: d.timeoutSeconds, host: d.hostTimeoutSeconds };
  } catch {
    return null;
  }
}

function problemOf(step: DrillStepRow): string | null {
  if (step.state === 'FAILED') return step.error ?? 'failed without a message';
  if (step.state === 'SKIPPED' || step.state === 'CANCELLED')
    return `${step.state.toLowerCase()}: ${step.error ?? step.output ?? 'no reason recorded'}`;
  if (step.state === 'PENDING' || step.state === 'QUEUED' || step.state === 'RUNNING')
    return `still ${step.state.toLowerCase()} when the drill ended`;
  return null;
}

function stepReport(plan: 'shutdown' | 'restart', step: DrillStepRow, readOnly: boolean): DrillStepReport {
  const shutdown = shutdownDetail(step);
  const budget = restartBudget(step);
  const predictedSeconds = shutdown === null ? null : shutdown.predictedEndSeconds - shutdown.predictedStartSeconds;
  const budgetSeconds =
    shutdown !== null ? shutdown.deadlineOffsetSeconds - shutdown.startOffsetSeconds : (budget?.step ?? null);
  const measuredSeconds =
    step.state === 'SUCCEEDED' || step.state === 'FAILED' ? secondsBetween(step.startedAt, step.finishedAt) : null;
  return {
    plan,
    key: step.key,
    action: step.action,
    vm: shutdown?.kind === 'vm-stop' ? (shutdown.vmName ?? shutdown.vmId) : null,
    state: step.state,
    predictedSeconds,
    budgetSeconds,
    measuredSeconds,
    startedAt: iso(step.startedAt),
    finishedAt: iso(step.finishedAt),
    verdict: compareDuration({ predictedSeconds, budgetSeconds, measuredSeconds, readOnly }),
    problem: problemOf(step),
  };
}

/** The host's shutdown steps as one span: predicted from the plan's timeline, measured from the step rows. */
function shutdownSpan(steps: readonly DrillStepRow[], readOnly: boolean): DrillHostReport['shutdown'] {
  const details = steps.map(shutdownDetail).filter((d): d is ShutdownStepDetail => d !== null);
  const predictedEnd = maxOf(details.map((d) => d.predictedEndSeconds));
  const predictedStart = minOf(details.map((d) => d.predictedStartSeconds));
  const predictedSeconds =
    predictedEnd === undefined || predictedStart === undefined ? null : predictedEnd - predictedStart;
  const ran = steps.filter((s) => s.startedAt !== null && s.finishedAt !== null);
  const complete = ran.length === steps.length && steps.length > 0;
  const firstStart = minOf(ran.map((s) => (s.startedAt as Date).getTime()));
  const lastFinish = maxOf(ran.map((s) => (s.finishedAt as Date).getTime()));
  const startedAt = firstStart === undefined ? null : new Date(firstStart);
  const finishedAt = lastFinish === undefined ? null : new Date(lastFinish);
  const measuredSeconds = complete ? secondsBetween(startedAt, finishedAt) : null;
  return {
    predictedSeconds,
    measuredSeconds,
    startedAt: iso(startedAt),
    finishedAt: iso(finishedAt),
    verdict: compareDuration({ predictedSeconds, budgetSeconds: null, measuredSeconds, readOnly }),
  };
}

/** A wake counts once the magic packet went out and ESXi was verified after it, in the same plan. */
function wakeOf(steps: readonly DrillStepRow[]): WakeVerification {
  const wake = steps.find((s) => s.action === 'wake');
  const verify = steps.find((s) => s.action === 'verify-esxi');
  // A host already answering SSH gets no packet (wake.step-handler): it proves nothing about Wake-on-LAN.
  const noPacket = wake?.output?.includes(NO_PACKET_SENT) === true;
  const sent = wake?.state === 'SUCCEEDED' && !noPacket ? wake.finishedAt : null;
  const verifiedAt = verify?.state === 'SUCCEEDED' ? verify.finishedAt : null;
  const verified = sent !== null && verifiedAt !== null && verifiedAt.getTime() >= sent.getTime();
  const failed = steps.find((s) => FAILED_STATES.has(s.state) || UNFINISHED_STATES.has(s.state));
  const budget = wake === undefined ? null : restartBudget(wake);
  return {
    verified,
    packetSentAt: iso(sent),
    verifiedAt: iso(verifiedAt),
    secondsToVerified: verified ? secondsBetween(sent, verifiedAt) : null,
    budgetSeconds: budget?.host ?? null,
    why: verified
      ? null
      : noPacket
        ? 'the host already answered over SSH: no magic packet was sent, so Wake-on-LAN was not proven'
        : wake === undefined
          ? 'no wake step: the restart plan did not take this host'
          : `${failed?.key ?? wake.key}: ${failed !== undefined ? (problemOf(failed) ?? failed.state) : 'not verified'}`,
  };
}

function hostReport(
  host: { id: string; name: string },
  shutdown: DrillPlanRows | null,
  restart: DrillPlanRows | null,
  live: boolean,
): DrillHostReport {
  const own = (plan: DrillPlanRows | null): DrillStepRow[] => plan?.steps.filter((s) => s.hostId === host.id) ?? [];
  const downSteps = own(shutdown);
  const upSteps = own(restart);
  const steps = [
    ...downSteps.map((s) => stepReport('shutdown', s, !live)),
    ...upSteps.map((s) => stepReport('restart', s, false)),
  ];
  const failures: DrillFailure[] = steps
    .filter((s) => s.problem !== null)
    .map((s) => {
      const advice = s.state === 'FAILED' ? adviseFailure(s.problem as string, s.action) : null;
      return {
        key: `${s.plan}:${s.key}`,
        why: s.problem as string,
        cause: advice?.cause ?? null,
        fix: advice?.fix ?? null,
      };
    });
  const wake = live ? wakeOf(upSteps) : null;
  const ranAny = steps.some((s) => s.state === 'SUCCEEDED' || s.state === 'FAILED');
  const failed = failures.length > 0 || (wake !== null && !wake.verified);
  return {
    hostId: host.id,
    hostName: host.name,
    result: !ranAny ? 'not-run' : failed ? 'failed' : 'ok',
    shutdown: shutdownSpan(downSteps, !live),
    steps,
    failures:
      wake !== null && !wake.verified && wake.why !== null && failures.length === 0
        ? [{ key: 'wake', why: wake.why, cause: null, fix: null }]
        : failures,
    wake,
  };
}

const RESULT_ORDER = { failed: 0, 'not-run': 1, ok: 2 } as const;

/**
 * A drill's report from its plans' step rows: per host, every step's predicted and measured
 * duration and verdict, what failed and why, and for a live drill whether Wake-on-LAN brought
 * the host back. Pure: the same rows give the same report.
 */
export function buildDrillReport(input: DrillReportInput): DrillReport {
  const live = input.drill.kind === 'live';
  const hosts = input.hosts
    .map((h) => hostReport(h, input.shutdown, input.restart, live))
    .sort((a, b) => RESULT_ORDER[a.result] - RESULT_ORDER[b.result] || a.hostName.localeCompare(b.hostName));
  return {
    drillId: input.drill.id,
    kind: input.drill.kind,
    group: input.drill.groupName,
    requestedBy: input.drill.requestedBy,
    state: input.drill.state,
    startedAt: input.drill.createdAt.toISOString(),
    finishedAt: input.drill.finishedAt.toISOString(),
    error: input.drill.error,
    shutdownPlanId: input.shutdown?.id ?? null,
    restartPlanId: input.restart?.id ?? null,
    planReports: {
      shutdown: input.shutdown === null ? null : planReportPagePath(input.shutdown.id),
      restart: input.restart === null ? null : planReportPagePath(input.restart.id),
    },
    summary: {
      hosts: hosts.length,
      ok: hosts.filter((h) => h.result === 'ok').length,
      failed: hosts.filter((h) => h.result === 'failed').length,
      notRun: hosts.filter((h) => h.result === 'not-run').length,
      slower: hosts.filter((h) => h.shutdown.verdict === 'slower').length,
      woken: live ? hosts.filter((h) => h.wake?.verified === true).length : null,
    },
    hosts,
  };
}

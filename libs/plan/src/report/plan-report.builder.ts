import { type EpochMs, readPredictionSource } from '@nutfleet/power';
import { maxOf, minOf } from '@nutfleet/runtime';

import { planStepNames, stepInWords } from '../plan-step-names';
import { isUnfinishedPlan } from '../plan-kinds';
import { type StepState } from '../step-state';
import { batteryUsage } from './battery-usage';
import { adviseFailure } from './failure-advice';
import {
  type HostOutcome,
  type PlanReport,
  type PlanReportInput,
  type ReportFailure,
  type ReportFix,
  type ReportHost,
  type ReportStep,
  type ReportStepInput,
  type TimelineEntry,
} from './plan-report.types';

/**
 * The report of one plan (outage, drill or operator's): what happened, host by host, against what
 * the plan predicted, what failed and what to change. Pure: the caller reads the rows.
 */
export function buildPlanReport(input: PlanReportInput): PlanReport {
  const { plan, now } = input;
  const ended = !isUnfinishedPlan(plan.state);
  const origin = plan.startedAt ?? plan.createdAt;
  const end = plan.finishedAt ?? plan.cancelledAt ?? (ended ? lastFinish(input.steps) : null) ?? now;
  const hosts = hostsOf(input.steps);
  const failures = failuresOf(input.steps);
  return {
    planId: plan.id,
    kind: plan.kind,
    mode: plan.mode,
    state: plan.state,
    reason: plan.reason,
    createdBy: plan.createdBy,
    outageId: plan.outageId,
    createdAt: iso(plan.createdAt),
    startedAt: isoOrNull(plan.startedAt),
    finishedAt: isoOrNull(plan.finishedAt ?? plan.cancelledAt),
    cancelledBy: plan.cancelledBy,
    ended,
    generatedAt: iso(now),
    predictedSeconds: plan.predictedSeconds,
    actualSeconds: plan.startedAt === null ? null : seconds(plan.startedAt, end),
    summary: {
      hosts: hosts.length,
      hostsSucceeded: hosts.filter((h) => h.outcome === 'succeeded').length,
      hostsFailed: hosts.filter((h) => h.outcome === 'failed').length,
      steps: input.steps.length,
      stepsFailed: input.steps.filter((s) => s.state === 'FAILED').length,
      stepsCancelled: input.steps.filter((s) => s.state === 'CANCELLED').length,
    },
    timeline: timelineOf(input, hosts, origin),
    hosts,
    failures,
    fixes: fixesOf(failures),
    battery: batteryUsage(input.ups, input.samples, origin, end),
  };
}

const iso = (at: EpochMs): string => new Date(at).toISOString();
const isoOrNull = (at: EpochMs | null): string | null => (at === null ? null : iso(at));
/** Tenths of a second: finer is noise for an operator, coarser hides a fast VM. */
const round = (s: number): number => Math.round(s * 10) / 10;
const seconds = (from: EpochMs, to: EpochMs): number => round((to - from) / 1000);

function lastFinish(steps: readonly ReportStepInput[]): EpochMs | null {
  const ends = steps.map((s) => s.finishedAt).filter((at): at is EpochMs => at !== null);
  return maxOf(ends) ?? null;
}

function field(detail: unknown, name: string): unknown {
  return typeof detail === 'object' && detail !== null ? (detail as Record<string, unknown>)[name] : undefined;
}

function numberField(detail: unknown, name: string): number | null {
  const value = field(detail, name);
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

/** The host a step belongs to, by name; steps of no host (gates, UPS commands) have none. */
function hostNameOf(step: ReportStepInput): string | null {
  if (step.hostId === null && field(step.detail, 'hostName') === undefined) return null;
  return step.hostName ?? planStepNames({ detail: step.detail, host: null }).hostName ?? step.hostId;
}

function predictedSpan(step: ReportStepInput): { start: number; end: number } | null {
  const start = numberField(step.detail, 'predictedStartSeconds');
  const end = numberField(step.detail, 'predictedEndSeconds');
  return start === null || end === null ? null : { start, end };
}

function reportStep(step: ReportStepInput): ReportStep {
  const span = predictedSpan(step);
  return {
    key: step.key,
    action: step.action,
    what: stepInWords(step),
    vmName: planStepNames({ detail: step.detail, host: null }).vmName,
    state: step.state,
    attempts: step.attempts,
    startedAt: isoOrNull(step.startedAt),
    finishedAt: isoOrNull(step.finishedAt),
    predictedSeconds: span === null ? null : round(span.end - span.start),
    actualSeconds:
      step.startedAt !== null && step.finishedAt !== null ? seconds(step.startedAt, step.finishedAt) : null,
    predictionSource: readPredictionSource(field(step.detail, 'predictionSource')),
    error: step.error,
  };
}

const TERMINAL: readonly StepState[] = ['SUCCEEDED', 'FAILED', 'SKIPPED', 'CANCELLED'];

function outcomeOf(states: readonly StepState[]): HostOutcome {
  if (states.includes('FAILED')) return 'failed';
  if (states.some((s) => !TERMINAL.includes(s))) return 'unfinished';
  if (states.includes('CANCELLED')) return 'cancelled';
  if (states.every((s) => s === 'SKIPPED')) return 'skipped';
  return 'succeeded';
}

function hostsOf(steps: readonly ReportStepInput[]): ReportHost[] {
  const byHost = new Map<string, { hostId: string | null; name: string; steps: ReportStepInput[] }>();
  for (const step of steps) {
    const name = hostNameOf(step);
    if (name === null) continue;
    const key = step.hostId ?? `name:${name}`;
    const entry = byHost.get(key) ?? { hostId: step.hostId, name, steps: [] };
    entry.steps.push(step);
    byHost.set(key, entry);
  }
  return [...byHost.values()]
    .map(({ hostId, name, steps: own }) => hostOf(hostId, name, own))
    .sort((a, b) => a.hostName.localeCompare(b.hostName));
}

function hostOf(hostId: string | null, hostName: string, steps: readonly ReportStepInput[]): ReportHost {
  const outcome = outcomeOf(steps.map((s) => s.state));
  const spans = steps.map(predictedSpan).filter((s): s is { start: number; end: number } => s !== null);
  const predictedEnd = maxOf(spans.map((s) => s.end));
  const predictedStart = minOf(spans.map((s) => s.start));
  const predicted =
    predictedEnd === undefined || predictedStart === undefined ? null : round(predictedEnd - predictedStart);
  const startedAt = minOf(steps.map((s) => s.startedAt).filter((at): at is EpochMs => at !== null)) ?? null;
  // Only a host whose every step ended has a duration: a running one would read as fast.
  const allEnded = steps.every((s) => TERMINAL.includes(s.state));
  const finishedAt = allEnded ? lastFinish(steps) : null;
  const actual = startedAt !== null && finishedAt !== null ? seconds(startedAt, finishedAt) : null;
  const budgets = steps.map((s) => numberField(s.detail, 'hostTimeoutSeconds')).filter((b): b is number => b !== null);
  return {
    hostId,
    hostName,
    outcome,
    predictedSeconds: predicted,
    actualSeconds: actual,
    differenceSeconds: predicted !== null && actual !== null ? round(actual - predicted) : null,
    budgetSeconds: maxOf(budgets) ?? null,
    startedAt: isoOrNull(startedAt),
    finishedAt: isoOrNull(finishedAt),
    steps: [...steps].sort(byStart).map(reportStep),
  };
}

function byStart(a: ReportStepInput, b: ReportStepInput): number {
  return (
    (a.startedAt ?? Number.MAX_SAFE_INTEGER) - (b.startedAt ?? Number.MAX_SAFE_INTEGER) || a.key.localeCompare(b.key)
  );
}

function failuresOf(steps: readonly ReportStepInput[]): ReportFailure[] {
  return steps
    .filter((s) => s.state === 'FAILED')
    .sort(byFinish)
    .map((s) => {
      const error = s.error ?? 'failed without an error message';
      const advice = adviseFailure(error, s.action);
      const upsAddress = field(s.detail, 'upsAddress');
      return {
        hostName: hostNameOf(s) ?? (typeof upsAddress === 'string' ? upsAddress : null),
        stepKey: s.key,
        action: s.action,
        what: stepInWords(s),
        state: s.state,
        at: isoOrNull(s.finishedAt),
        error,
        cause: advice.cause,
        fix: advice.fix,
        readinessCheck: advice.readinessCheck,
      };
    });
}

function byFinish(a: ReportStepInput, b: ReportStepInput): number {
  return (
    (a.finishedAt ?? Number.MAX_SAFE_INTEGER) - (b.finishedAt ?? Number.MAX_SAFE_INTEGER) || a.key.localeCompare(b.key)
  );
}

function fixesOf(failures: readonly ReportFailure[]): ReportFix[] {
  const byCause = new Map<string, { fix: ReportFix; targets: Set<string> }>();
  for (const f of failures) {
    const entry = byCause.get(f.cause) ?? {
      fix: { cause: f.cause, fix: f.fix, readinessCheck: f.readinessCheck, targets: [] },
      targets: new Set<string>(),
    };
    if (f.hostName !== null) entry.targets.add(f.hostName);
    byCause.set(f.cause, entry);
  }
  return [...byCause.values()].map(({ fix, targets }) => ({ ...fix, targets: [...targets].sort() }));
}

function timelineOf(input: PlanReportInput, hosts: readonly ReportHost[], origin: EpochMs): TimelineEntry[] {
  const { plan } = input;
  const entries: Array<Omit<TimelineEntry, 'offsetSeconds' | 'at'> & { at: EpochMs }> = [];
  const add = (at: EpochMs | null, e: Omit<TimelineEntry, 'offsetSeconds' | 'at'>): void => {
    if (at !== null) entries.push({ ...e, at });
  };
  add(plan.createdAt, {
    kind: 'plan',
    hostName: null,
    text: `${plan.mode === 'ARMED' ? 'armed' : 'dry-run'} ${plan.kind.toLowerCase()} plan created${plan.createdBy ? ` by ${plan.createdBy}` : ''}${plan.reason ? `: ${plan.reason}` : ''}`,
    problem: false,
  });
  add(plan.startedAt, { kind: 'plan', hostName: null, text: 'plan started', problem: false });
  for (const e of input.events) {
    const who = e.upsName ?? e.upsId ?? 'UPS';
    const change =
      e.status !== null ? `${e.previousStatus ?? '?'} → ${e.status}` : e.type.toLowerCase().replaceAll('_', ' ');
    add(e.at, { kind: 'power', hostName: null, text: `${who}: ${change}`, problem: false });
  }
  for (const h of hosts) {
    add(h.startedAt === null ? null : Date.parse(h.startedAt), {
      kind: 'host',
      hostName: h.hostName,
      text: `${h.hostName}: first step started`,
      problem: false,
    });
    const predicted = h.predictedSeconds === null ? '' : ` (predicted ${h.predictedSeconds} s)`;
    add(h.finishedAt === null ? null : Date.parse(h.finishedAt), {
      kind: 'host',
      hostName: h.hostName,
      text: `${h.hostName}: ${h.outcome}${h.actualSeconds === null ? '' : ` after ${h.actualSeconds} s`}${predicted}`,
      problem: h.outcome === 'failed' || h.outcome === 'cancelled',
    });
  }
  for (const s of input.steps) {
    // Host steps show through their host's entries, except failures; steps of no host always show.
    const ofHost = hostNameOf(s) !== null;
    if (ofHost && s.state !== 'FAILED') continue;
    const who =
      hostNameOf(s) ??
      (typeof field(s.detail, 'upsAddress') === 'string' ? String(field(s.detail, 'upsAddress')) : null);
    const label = `${who === null ? '' : `${who}: `}${stepInWords(s)}`;
    add(s.finishedAt, {
      kind: 'step',
      hostName: ofHost ? who : null,
      text: `${label} ${s.state.toLowerCase()}${s.error ? `: ${s.error}` : ''}`,
      problem: s.state === 'FAILED' || s.state === 'CANCELLED',
    });
  }
  const finish = plan.finishedAt ?? plan.cancelledAt;
  if (finish !== null && !isUnfinishedPlan(plan.state))
    add(finish, {
      kind: 'plan',
      hostName: null,
      text: `plan ${plan.state.toLowerCase()}${plan.cancelledBy ? ` (${plan.cancelledBy})` : ''}`,
      problem: plan.state === 'FAILED' || plan.state === 'CANCELLED',
    });
  return entries
    .map((e, index) => ({ e, index }))
    .sort((a, b) => a.e.at - b.e.at || a.index - b.index)
    .map(({ e }) => ({ ...e, at: iso(e.at), offsetSeconds: seconds(origin, e.at) }));
}

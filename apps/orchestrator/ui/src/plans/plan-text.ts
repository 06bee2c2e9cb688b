/**
 * Plain words for a plan page: what each step does to which host and VM, what each power event
 * changed, what a closed restart gate waits for and until when, and each host's result. Pure:
 * every value comes from the plan and events the API returned.
 */
import { type PlanDetailDto, type PlanEventDto, type PowerEventDto } from '../api-types.generated.js';
import { clockTime } from '../dom.js';

export type PlanStep = PlanDetailDto['steps'][number];
export type UpsNames = (id: string) => string;

const ACTION_WORDS: Record<string, string> = {
  'host-power-off': 'power off host',
  wake: 'wake (Wake-on-LAN)',
  'wait-ssh': 'wait for SSH',
  'verify-esxi': 'verify ESXi',
  'power-on-vms': 'power on its VMs',
};

/** "esx-01 · stop VM db-01", "esx-01 · power off host", "wave 2 gate". */
export function stepLabel(step: PlanStep): string {
  if (step.action === 'restart-gate') return `wave ${step.wave ?? /wave:(\d+)/.exec(step.key)?.[1] ?? '?'} gate`;
  if (step.action === 'ups-power-cycle') {
    const ups = step.detail?.upsAddress;
    return `UPS ${typeof ups === 'string' ? ups : '?'} · power cycle (after its hosts are down)`;
  }
  const host = step.hostName ?? step.hostId ?? 'unknown host';
  const what =
    step.action === 'vm-stop' ? `stop VM ${step.vmName ?? '(unnamed)'}` : (ACTION_WORDS[step.action] ?? step.action);
  return `${host} · ${what}`;
}

/**
 * A shutdown step's predicted duration and where the number comes from (a measurement of an
 * earlier plan, else the policy's worst case); undefined for steps without a prediction.
 */
export function stepPrediction(step: PlanStep): string | undefined {
  const d = step.detail;
  const start = d?.predictedStartSeconds;
  const end = d?.predictedEndSeconds;
  if (typeof start !== 'number' || typeof end !== 'number') return undefined;
  const source = d?.predictionSource;
  const text =
    typeof source === 'object' && source !== null && typeof (source as { text?: unknown }).text === 'string'
      ? (source as { text: string }).text
      : 'source not recorded (plan made by an older version)';
  return `predicted ${Math.round((end - start) * 10) / 10} s — ${text}`;
}

export interface StepGroup {
  title: string;
  steps: PlanStep[];
}

/** Shutdown steps by stage, restart steps by wave (gate first), in the plan's own order. */
export function groupSteps(plan: Pick<PlanDetailDto, 'kind' | 'steps'>): StepGroup[] {
  const restart = plan.kind === 'RESTART';
  const groups = new Map<number, PlanStep[]>();
  for (const step of plan.steps) {
    const key = restart ? (step.wave ?? Number(/wave:(\d+)/.exec(step.key)?.[1] ?? 0)) : step.stage;
    groups.set(key, [...(groups.get(key) ?? []), step]);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => a - b)
    .map(([key, steps]) => ({
      title: restart ? `Wave ${key}` : `Stage ${key}`,
      steps: restart
        ? [...steps].sort((a, b) => Number(b.action === 'restart-gate') - Number(a.action === 'restart-gate'))
        : steps,
    }));
}

/** Replaces every UPS id in a text by its name (the decision engine speaks in ids). */
export function withUpsNames(text: string, upsName: UpsNames, upsIds: readonly string[]): string {
  return upsIds.reduce((out, id) => out.split(id).join(upsName(id)), text);
}

const STATUS_WORDS: Record<string, string> = {
  OL: 'on line',
  OB: 'on battery',
  LB: 'battery low',
  FSD: 'forced shutdown',
  CHRG: 'charging',
  DISCHRG: 'discharging',
  CAL: 'calibrating',
  OFF: 'output off',
  BYPASS: 'on bypass',
  RB: 'replace battery',
};
const statusWords = (status: string | null): string =>
  status === null || status === ''
    ? 'unknown'
    : `${status} (${status
        .split(/\s+/)
        .map((t) => STATUS_WORDS[t] ?? t)
        .join(', ')})`;

export interface EventLine {
  at: number;
  ups: string;
  text: string;
}

/** A UPS's power event: "OL (on line) → OB DISCHRG (on battery, discharging)". */
export function powerEventLine(event: PowerEventDto, upsName: UpsNames): EventLine {
  const at = Date.parse(event.observedAt ?? event.receivedAt);
  const ups = event.upsId === null ? '–' : upsName(event.upsId);
  const text =
    event.type === 'STATUS_CHANGE'
      ? `${event.previousStatus === null ? '' : `${statusWords(event.previousStatus)} → `}${statusWords(event.status)}`
      : event.type === 'COMM_LOST'
        ? 'connection to the UPS lost'
        : event.type === 'COMM_RESTORED'
          ? `connection restored, ${statusWords(event.status)}`
          : event.type === 'STALE_DATA'
            ? 'the NUT server reports stale data'
            : event.type.toLowerCase();
  return { at, ups, text };
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

const GATE_WORDS: Record<string, string> = {
  'earlier-waves': 'earlier waves',
  'power-stable': 'stable power',
  'fsd-clear': 'forced shutdown cleared',
  battery: 'battery charge',
  'nut-servers': 'NUT servers reachable',
};

/** A plan's own event (decision, cancel, restart created...) in one line. */
export function planEventLine(event: PlanEventDto, upsName: UpsNames, allUpsIds: readonly string[]): EventLine {
  const at = Date.parse(event.at);
  const data = event.data ?? {};
  const kind = str(data.event) ?? event.type.toLowerCase();
  const ups = event.upsId !== null ? upsName(event.upsId) : strings(data.upsIds).map(upsName).join(', ') || '–';
  let text: string;
  if (kind === 'restart-gate') {
    const checks = Array.isArray(data.checks) ? (data.checks as Array<Record<string, unknown>>) : [];
    const closed = checks
      .filter((c) => c.open !== true)
      .map((c) => GATE_WORDS[str(c.gate) ?? ''] ?? str(c.gate) ?? '?');
    text =
      data.open === true
        ? `wave ${String(data.wave)} gate opened`
        : `wave ${String(data.wave)} gate closed: ${closed.join(', ')}`;
  } else if (kind === 'cancelled') {
    text = `plan cancelled (${num(data.cancelledSteps) ?? 0} steps not started): ${str(data.reason) ?? ''}`;
  } else if (kind === 'restart-created') {
    const waves = Array.isArray(data.waves) ? data.waves.length : 0;
    text = `restart plan made: ${waves} wave(s)`;
  } else {
    const detail = str(data.message) ?? str(data.reason) ?? str(data.summary);
    text = detail === undefined ? kind.replace(/-/g, ' ') : `${kind.replace(/-/g, ' ')}: ${detail}`;
  }
  return { at, ups, text: withUpsNames(text, upsName, allUpsIds) };
}

/** The latest recorded decision of a wave's gate (DECISION events of event "restart-gate"). */
export function latestGateDecision(events: readonly PlanEventDto[], wave: number): Record<string, unknown> | undefined {
  const decisions = events
    .filter((e) => e.data !== null && e.data.event === 'restart-gate' && e.data.wave === wave)
    .sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  return decisions.at(-1)?.data ?? undefined;
}

/**
 * What a wave's gate waits for, in plain words, with the instant it will open when only time
 * holds it: "waiting until 06:05:48 for 300 s of stable power on ups-a".
 */
export function gateLines(
  decision: Record<string, unknown>,
  stableSeconds: number | undefined,
  upsName: UpsNames,
  waveUpsIds: readonly string[],
): string[] {
  const checks = Array.isArray(decision.checks) ? (decision.checks as Array<Record<string, unknown>>) : [];
  return checks
    .filter((c) => c.open !== true)
    .map((check) => {
      const gate = str(check.gate) ?? '?';
      const reasons = strings(check.reasons);
      const until = num(check.recheckAt) ?? (gate === 'power-stable' ? num(decision.recheckAt) : undefined);
      if (gate === 'power-stable' && until !== undefined) {
        // The UPSes not stable yet are those whose reason says "only" (the others are stable).
        const waiting = waveUpsIds.filter((id) => reasons.some((r) => r.startsWith(id) && r.includes(' only ')));
        const names = (waiting.length > 0 ? waiting : waveUpsIds).map(upsName).join(', ');
        return `waiting until ${clockTime(until)} for ${stableSeconds ?? '?'} s of stable power on ${names}`;
      }
      const why = withUpsNames(reasons.join('; '), upsName, waveUpsIds);
      return `waiting for ${GATE_WORDS[gate] ?? gate}: ${why}${until === undefined ? '' : ` (may open at ${clockTime(until)})`}`;
    });
}

export interface HostResult {
  host: string;
  result: string;
  startedAt: number | null;
  finishedAt: number | null;
  durationSeconds: number | null;
  error: string | null;
}

/** Worst first; a skipped step (a VM already off) next to a success is a success. */
const RESULT_RANK = ['FAILED', 'CANCELLED', 'RUNNING', 'QUEUED', 'PENDING', 'SUCCEEDED', 'SKIPPED'];
const OPEN_STATES = ['PENDING', 'QUEUED', 'RUNNING'];

/** One row per host: its worst step outcome, first start, last finish, and its steps' errors. */
export function hostResults(plan: Pick<PlanDetailDto, 'steps'>): HostResult[] {
  const byHost = new Map<string, PlanStep[]>();
  for (const step of plan.steps) {
    if (step.hostId === null) continue;
    byHost.set(step.hostId, [...(byHost.get(step.hostId) ?? []), step]);
  }
  return [...byHost.values()]
    .map((steps) => {
      const starts = steps
        .map((s) => s.startedAt)
        .filter((t): t is string => t !== null)
        .map(Date.parse);
      const ends = steps
        .map((s) => s.finishedAt)
        .filter((t): t is string => t !== null)
        .map(Date.parse);
      const result = RESULT_RANK.find((state) => steps.some((s) => s.state === state)) ?? steps[0]?.state ?? '?';
      const startedAt = starts.length > 0 ? Math.min(...starts) : null;
      // Steps cancelled before they started may have no end of their own: the host is done when
      // none of its steps is still open, at its last recorded end.
      const finished = steps.every((s) => !OPEN_STATES.includes(s.state)) && ends.length > 0;
      const finishedAt = finished ? Math.max(...ends) : null;
      const errors = steps.filter((s) => s.error !== null).map((s) => `${stepLabel(s)}: ${s.error ?? ''}`);
      return {
        host: steps[0]?.hostName ?? steps[0]?.hostId ?? '?',
        result,
        startedAt,
        finishedAt,
        durationSeconds: startedAt !== null && finishedAt !== null ? (finishedAt - startedAt) / 1000 : null,
        error: errors.length > 0 ? errors.join(' | ') : null,
      };
    })
    .sort((a, b) => a.host.localeCompare(b.host));
}

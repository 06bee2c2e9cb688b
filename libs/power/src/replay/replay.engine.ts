import { type HostInventory, type PowerFeed } from '../fleet-inventory';
import { decideFleet } from '../fleet-decision.evaluator';
import { applyPollOutcome, initialUpsState, type UpsMonitorState } from '../monitor/ups-poll.detector';
import { type PollOutcome } from '../monitor/poll-outcome';
import { buildUpsHistory, type PowerEventRecord, type UpsSampleRecord } from '../monitor/ups-history.builder';
import { sampleOf } from '../monitor/ups-sample';
import { MIN_VARIABLES_WRITE_INTERVAL_MS, shouldWriteUpsRow } from '../monitor/ups-row-write.policy';
import { type OutageAction, type OutageState, advanceOutage } from '../outage/outage-lifecycle';
import { type ShutdownPolicy, resolveShutdownPolicy } from '../shutdown-policy';
import { buildShutdownPlan } from '../shutdown-plan.builder';
import { type ShutdownStepKind } from '../shutdown-plan.types';
import { type EpochMs } from '../time';
import { isOnBatteryStatus } from '../ups-observation';
import { type UpsHistory } from '../ups-observation';
import { type ReplayInput, type ReplayTimelineEntry } from './replay-input';

export interface ReplayStep {
  readonly key: string;
  readonly kind: ShutdownStepKind;
  readonly stage: number;
  readonly vmId?: string;
  readonly vmName?: string;
  /** When the step is predicted to start and end, seconds from the timeline's start. */
  readonly predictedStartAt: number;
  readonly predictedEndAt: number;
  /** Its deadline (every timeout used), seconds from the timeline's start. */
  readonly deadlineAt: number;
  readonly why: string;
}

export interface ReplayHostResult {
  readonly id: string;
  readonly name: string;
  /** The first instant the host is critical (seconds), or null. */
  readonly criticalAt: number | null;
  /** Why, at that instant. */
  readonly reasons: ReadonlyArray<{ readonly code: string; readonly message: string }>;
  /** When its `poweroff` is predicted to be sent (seconds), or null. */
  readonly powerOffAt: number | null;
  readonly steps: readonly ReplayStep[];
}

export interface ReplayOutage {
  readonly openedAt: number;
  readonly closedAt: number | null;
  readonly closeReason: string | null;
  readonly upsIds: readonly string[];
  /** What the lifecycle recorded, in order: the outage's own timeline. */
  readonly events: ReadonlyArray<{ readonly at: number; readonly event: string; readonly message?: string }>;
}

export interface ReplayOutput {
  readonly hosts: readonly ReplayHostResult[];
  readonly outages: readonly ReplayOutage[];
}

/** An arbitrary fixed epoch: replayed instants are absolute inside the engine, seconds outside. */
const BASE: EpochMs = Date.UTC(2000, 0, 1);
const DEFAULT_TAIL_SECONDS = 600;
/** The live planner re-evaluates no sooner than this after a verdict due by time alone. */
const EARLIEST_REEVALUATION_MS = 50;

interface Served {
  status?: string;
  comm: 'ok' | 'lost';
  stale: boolean;
  charge?: number;
  runtime?: number;
  inputVoltage?: number;
}

interface UpsSim {
  readonly id: string;
  served: Served;
  monitor: UpsMonitorState;
  readonly events: PowerEventRecord[];
  readonly samples: UpsSampleRecord[];
  row: {
    status: string | null;
    variables: Record<string, string> | null;
    commState: 'UNKNOWN' | 'OK' | 'LOST';
    lastSeenAt: number | null;
  };
  lastWriteAt: number | null;
  writtenVariables: Readonly<Record<string, string>> | null;
}

interface HostSim {
  readonly inventory: HostInventory;
  powerState: 'on' | 'off';
  /** Planned in the current outage: when its poweroff goes out and when it is predicted down. */
  plannedIn?: string;
  powerOffAt?: EpochMs;
  offAt?: EpochMs;
  /** Its plan's point of no return: power confirmed back before it cancels what has not started. */
  ponrAt?: EpochMs;
  criticalAt?: EpochMs;
  reasons: Array<{ code: string; message: string }>;
  steps: ReplayStep[];
}

interface OutageSim {
  readonly id: string;
  state: OutageState;
  readonly openedAt: EpochMs;
  readonly timersFrom?: EpochMs;
  upsIds: string[];
  powerBackAt?: EpochMs;
  closedAt?: EpochMs;
  closeReason?: string;
  restartAt?: EpochMs;
  readonly events: Array<{ at: number; event: string; message?: string }>;
}

/**
 * Runs a replay: every poll interval each UPS is polled (its served state at that instant) and
 * the result goes through the monitor's comm-state machine; the recorded events and samples are
 * rebuilt into histories exactly as the orchestrator does; the decision engine, the outage
 * lifecycle and the plan builder then decide at every poll and at every instant a verdict is due
 * by time alone. Planned hosts go down when their plan predicts; a restart brings them back at once.
 */
export function runReplay(input: ReplayInput): ReplayOutput {
  const poll = input.pollIntervalMs ?? 1000;
  const reportMs = (input.commLossReportSeconds ?? 3) * 1000;
  const lastT = Math.max(0, ...input.timeline.map((e) => e.t));
  const end = BASE + (input.endAt ?? lastT + DEFAULT_TAIL_SECONDS) * 1000;
  const idOf = new Map(input.upses.flatMap((u) => [[u.id, u.id] as const, [u.name ?? u.id, u.id] as const]));
  const upses = input.upses.map((u): UpsSim => ({
    id: u.id,
    served: { comm: 'ok', stale: false },
    monitor: initialUpsState({ status: null, commState: 'UNKNOWN', commError: null }),
    events: [],
    samples: [],
    row: { status: null, variables: null, commState: 'UNKNOWN', lastSeenAt: null },
    lastWriteAt: null,
    writtenVariables: null,
  }));
  const policies: ShutdownPolicy[] = [];
  const feeds: PowerFeed[] = [];
  const hosts = input.hosts.map((h): HostSim => {
    const policyId = h.policy?.id ?? `policy-of-${h.id}`;
    if (!policies.some((p) => p.id === policyId)) policies.push(resolveShutdownPolicy({ ...h.policy, id: policyId }));
    for (const f of h.feeds)
      feeds.push({ hostId: h.id, upsId: idOf.get(f.upsId) ?? f.upsId, powerValue: f.powerValue });
    return {
      inventory: {
        id: h.id,
        name: h.name ?? h.id,
        minSupplies: h.minSupplies,
        shutdownStage: h.stage ?? 0,
        restartWave: 0,
        policyId,
        powerState: 'on',
        vms: h.vms ?? [],
        ...(h.measuredPowerOffSeconds !== undefined ? { measuredPowerOffSeconds: h.measuredPowerOffSeconds } : {}),
      },
      powerState: 'on',
      reasons: [],
      steps: [],
    };
  });
  const powerBackConfirmSeconds = Math.max(0, ...policies.map((p) => p.powerBackConfirmSeconds));
  const timeline = [...input.timeline].map((e, i) => ({ e, i })).sort((a, b) => a.e.t - b.e.t || a.i - b.i);
  const outages: OutageSim[] = [];
  let current: OutageSim | undefined;
  let lastRestartAt: EpochMs | undefined;
  let cursor = 0;
  const due = new Set<number>();

  const evaluate = (now: EpochMs): void => {
    const histories: UpsHistory[] = upses.map((u) =>
      buildUpsHistory({ id: u.id, nutServerId: 'replay', ...u.row }, u.events, now, u.samples),
    );
    for (const h of hosts) if (h.offAt !== undefined && h.offAt <= now) h.powerState = 'off';
    const timersFrom =
      current?.timersFrom === undefined ? undefined : new Map(upses.map((u) => [u.id, current?.timersFrom ?? 0]));
    const decision = decideFleet({
      hosts: hosts.map((h) => h.inventory),
      feeds,
      histories,
      policies,
      now,
      ...(timersFrom ? { timersFrom } : {}),
    });
    const byId = new Map(hosts.map((h) => [h.inventory.id, h]));
    const critical = decision.criticalHostIds.filter((id) => byId.get(id)?.powerState === 'on');
    for (const d of decision.hosts) {
      const h = byId.get(d.hostId);
      if (h && d.critical && h.criticalAt === undefined && h.powerState === 'on') {
        h.criticalAt = now;
        h.reasons = d.reasons.map((r) => ({ code: r.code, message: r.message }));
      }
    }
    const criticalSet = new Set(critical);
    const criticalUpsIds = [...new Set(feeds.filter((f) => criticalSet.has(f.hostId)).map((f) => f.upsId))];
    const ofOutage = hosts.filter((h) => current !== undefined && h.plannedIn === current.id);
    const outcome = advanceOutage({
      ...(current !== undefined
        ? {
            outage: {
              id: current.id,
              state: current.state,
              openedAt: current.openedAt,
              ...(current.timersFrom !== undefined ? { timersFrom: current.timersFrom } : {}),
              upsIds: current.upsIds,
              ...(current.powerBackAt !== undefined ? { powerBackAt: current.powerBackAt } : {}),
              disarmed: false,
            },
          }
        : {}),
      histories,
      criticalHostIds: critical,
      criticalUpsIds,
      plans: {
        shutdownRunning: ofOutage.some((h) => h.offAt !== undefined && h.offAt > now),
        hostsPoweredOff: ofOutage.filter((h) => h.powerOffAt !== undefined && h.powerOffAt <= now).length,
        restartFinished: current?.state === 'restarting' && current.restartAt !== undefined && current.restartAt < now,
        ...(lastRestartAt !== undefined ? { lastRestartAt } : {}),
      },
      powerBackConfirmSeconds,
      now,
    });
    for (const action of outcome.actions) apply(action, now, histories);
    for (const at of [decision.nextEvaluationAt, outcome.recheckAt, ...hosts.map((h) => h.offAt)])
      if (at !== undefined && at > now && at <= end) due.add(Math.max(at, now + EARLIEST_REEVALUATION_MS));
  };

  const apply = (action: OutageAction, now: EpochMs, histories: readonly UpsHistory[]): void => {
    switch (action.kind) {
      case 'open': {
        current = {
          id: `outage-${outages.length + 1}`,
          state: 'open',
          openedAt: action.openedAt,
          ...(action.timersFrom !== undefined ? { timersFrom: action.timersFrom } : {}),
          upsIds: [...action.upsIds],
          events: [{ at: now, event: 'opened', message: action.message }],
        };
        outages.push(current);
        return;
      }
      case 'close':
        if (current) {
          current.state = 'closed';
          current.closedAt = now;
          current.closeReason = action.reason;
          current.events.push({ at: now, event: 'closed', message: action.message });
          current = undefined;
        }
        return;
      case 'add-upses':
        current?.upsIds.push(...action.upsIds);
        current?.events.push({ at: now, event: 'upses-joined', message: action.upsIds.join(', ') });
        return;
      case 'shed': {
        if (!current) return;
        const fresh = hosts.filter((h) => action.hostIds.includes(h.inventory.id) && h.plannedIn !== current?.id);
        if (fresh.length === 0) return;
        const plan = buildShutdownPlan({
          planKey: current.id,
          hosts: fresh.map((h) => h.inventory),
          feeds,
          policies,
          histories,
          now,
        });
        for (const h of fresh) {
          h.plannedIn = current.id;
          const steps = plan.steps.filter((s) => s.hostId === h.inventory.id);
          const off = steps.find((s) => s.kind === 'host-power-off');
          h.powerOffAt = off === undefined ? undefined : now + off.predictedStartSeconds * 1000;
          h.offAt = off === undefined ? now : now + off.predictedEndSeconds * 1000;
          h.ponrAt = plan.pointOfNoReturnAt;
          if (h.steps.length === 0)
            h.steps = steps.map((s) => ({
              key: s.key,
              kind: s.kind,
              stage: s.stage,
              ...(s.vmId !== undefined ? { vmId: s.vmId } : {}),
              ...(s.vmName !== undefined ? { vmName: s.vmName } : {}),
              predictedStartAt: seconds(now) + s.predictedStartSeconds,
              predictedEndAt: seconds(now) + s.predictedEndSeconds,
              deadlineAt: seconds(s.deadlineAt),
              why: s.why,
            }));
        }
        if (current.state === 'open') current.state = 'shedding';
        current.events.push({ at: now, event: 'shed', message: fresh.map((h) => h.inventory.name).join(', ') });
        return;
      }
      case 'power-back':
        if (current) {
          current.state = 'power-back';
          current.powerBackAt = action.at;
          current.events.push({ at: now, event: 'power-back', message: action.message });
          // Power confirmed back before a plan's point of no return cancels what has not started.
          const confirmedAt = action.at + powerBackConfirmSeconds * 1000;
          const cancelled = hosts.filter(
            (h) =>
              h.plannedIn === current?.id &&
              h.ponrAt !== undefined &&
              confirmedAt < h.ponrAt &&
              h.powerOffAt !== undefined &&
              h.powerOffAt > confirmedAt,
          );
          for (const h of cancelled) {
            h.powerOffAt = undefined;
            h.offAt = undefined;
            h.powerState = 'on';
          }
          if (cancelled.length > 0)
            current.events.push({
              at: now,
              event: 'cancelled',
              message: `power back before the point of no return: ${cancelled.map((h) => h.inventory.name).join(', ')} stay up`,
            });
        }
        return;
      case 'power-lost-again':
        if (current) {
          current.state = hosts.some((h) => h.plannedIn === current?.id) ? 'shedding' : 'open';
          current.events.push({ at: now, event: 'power-lost-again', message: action.message });
        }
        return;
      case 'request-restart':
        if (current) {
          current.state = 'restarting';
          current.restartAt = now;
          lastRestartAt = now;
          current.events.push({ at: now, event: 'restart', message: action.message });
          for (const h of hosts) {
            if (h.plannedIn !== current.id) continue;
            h.powerState = 'on';
            h.plannedIn = undefined;
            h.offAt = undefined;
          }
        }
        return;
    }
  };

  const pollAll = (now: EpochMs): void => {
    while (cursor < timeline.length && BASE + (timeline[cursor]?.e.t ?? Infinity) * 1000 <= now) {
      const entry = timeline[cursor]?.e;
      cursor += 1;
      if (entry === undefined) continue;
      const ups = upses.find((u) => u.id === (idOf.get(entry.ups) ?? entry.ups));
      if (ups) ups.served = serve(ups.served, entry);
    }
    for (const ups of upses) {
      const outcome = outcomeOf(ups.served, now);
      const transition = applyPollOutcome(ups.monitor, outcome, reportMs);
      ups.monitor = transition.state;
      for (const change of transition.changes)
        ups.events.push({ type: change.type, status: change.status, data: change.data, at: now });
      const write = shouldWriteUpsRow({
        now,
        significant: transition.significant,
        lastWriteAt: ups.lastWriteAt,
        writtenVariables: ups.writtenVariables,
        currentVariables: ups.monitor.variables,
        minVariablesIntervalMs: MIN_VARIABLES_WRITE_INTERVAL_MS,
        lastSeenRefreshMs: 60_000,
        onBattery: isOnBatteryStatus(ups.monitor.status),
      });
      if (!write) continue;
      ups.row = {
        status: ups.monitor.status,
        variables: ups.monitor.variables === null ? ups.row.variables : { ...ups.monitor.variables },
        commState: ups.monitor.commState,
        lastSeenAt: ups.monitor.lastGoodAt,
      };
      ups.lastWriteAt = now;
      ups.writtenVariables = ups.monitor.variables;
      if (outcome.ok) ups.samples.push(sampleOf(ups.monitor, now));
    }
  };

  for (let tick = BASE; tick <= end; tick += poll) {
    for (const at of [...due].filter((t) => t < tick).sort((a, b) => a - b)) {
      due.delete(at);
      evaluate(at);
    }
    pollAll(tick);
    due.delete(tick);
    evaluate(tick);
  }

  return {
    hosts: hosts.map((h) => ({
      id: h.inventory.id,
      name: h.inventory.name,
      criticalAt: h.criticalAt === undefined ? null : seconds(h.criticalAt),
      reasons: h.reasons,
      powerOffAt: h.powerOffAt === undefined ? null : seconds(h.powerOffAt),
      steps: h.steps,
    })),
    outages: outages.map((o) => ({
      openedAt: seconds(o.openedAt),
      closedAt: o.closedAt === undefined ? null : seconds(o.closedAt),
      closeReason: o.closeReason ?? null,
      upsIds: o.upsIds,
      events: o.events.map((e) => ({ ...e, at: seconds(e.at) })),
    })),
  };
}

function seconds(at: EpochMs): number {
  return Math.round((at - BASE) / 10) / 100;
}

function serve(previous: Served, entry: ReplayTimelineEntry): Served {
  return {
    ...previous,
    ...(entry.status !== undefined ? { status: entry.status } : {}),
    ...(entry.comm !== undefined ? { comm: entry.comm } : {}),
    ...(entry.stale !== undefined ? { stale: entry.stale } : {}),
    ...(entry.charge !== undefined ? { charge: entry.charge } : {}),
    ...(entry.runtime !== undefined ? { runtime: entry.runtime } : {}),
    ...(entry.inputVoltage !== undefined ? { inputVoltage: entry.inputVoltage } : {}),
  };
}

/** What a poll of upsd would give for this served state (the variables the monitor reads). */
function outcomeOf(served: Served, at: EpochMs): PollOutcome {
  if (served.comm === 'lost')
    return { ok: false, at, kind: 'server-unreachable', code: 'SERVER-UNREACHABLE', message: 'no answer (replay)' };
  if (served.stale) return { ok: false, at, kind: 'stale', code: 'DATA-STALE', message: 'data stale (replay)' };
  if (served.status === undefined)
    return { ok: false, at, kind: 'waiting', code: 'WAIT', message: 'no status yet (replay)' };
  const variables: Record<string, string> = { 'ups.status': served.status };
  if (served.charge !== undefined) variables['battery.charge'] = String(served.charge);
  if (served.runtime !== undefined) variables['battery.runtime'] = String(served.runtime);
  if (served.inputVoltage !== undefined) variables['input.voltage'] = String(served.inputVoltage);
  return { ok: true, at, variables };
}

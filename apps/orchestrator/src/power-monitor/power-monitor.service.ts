/**
 * The power monitor: while this replica leads (PowerMonitorLeadership starts and stops it),
 * it keeps one NutServerPoller per NUT server of the inventory, polls every UPS each
 * POWER_MONITOR_POLL_INTERVAL_MS (one pipelined round per server; longer, up to
 * POWER_MONITOR_POLL_MAX_INTERVAL_MS, for a server too slow for it), and records changes as PowerEvents and Ups rows through
 * fenced writes. It only observes: decisions are made elsewhere from what it records.
 */
import { Inject, Injectable, Logger, type BeforeApplicationShutdown, Optional } from '@nestjs/common';

import { APP_CONFIG, type AppConfig, TargetNetworks } from '@nutfleet/config';
import { openSecret, type Prisma } from '@nutfleet/db';

import { NutPollMetrics } from '../metrics/nut-poll.metrics';
import {
  connectionFingerprint,
  NutServerPoller,
  type NutServerRuntimeState,
  type UpsPollResult,
} from './nut-server.poller';
import {
  FencedOffError,
  type InventoryServer,
  type MonitorWriteBatch,
  PowerMonitorStore,
  type PowerEventDraft,
  type UpsRowUpdate,
} from './power-monitor.store';
import { serverObservedAt } from './server-observed-at';
import {
  isOnBatteryStatus,
  MIN_VARIABLES_WRITE_INTERVAL_MS,
  nextPollInterval,
  type PollPacing,
  sampleOf,
  shouldWriteUpsRow,
} from '@nutfleet/power';

/** Events kept in memory while PostgreSQL is unreachable, per server, before the oldest go. */
const MAX_PENDING_EVENTS = 10_000;

interface ServerLoop {
  poller: NutServerPoller;
  timer: NodeJS.Timeout | undefined;
  running: Promise<void> | undefined;
  pending: MonitorWriteBatch;
  /** This server's current interval: the configured one, or longer while its rounds are slow. */
  intervalMs: number;
}

export interface PowerMonitorRuntime {
  running: boolean;
  fencingToken: string | null;
  servers: NutServerRuntimeState[];
}

@Injectable()
export class PowerMonitorService implements BeforeApplicationShutdown {
  private readonly logger = new Logger('PowerMonitor');
  private readonly loops = new Map<string, ServerLoop>();
  private token: bigint | null = null;
  private inventoryTimer: NodeJS.Timeout | undefined;
  private onFenced: ((error: FencedOffError) => void) | undefined;
  private generation = 0;
  private readonly recordedListeners: Array<() => void> = [];

  public constructor(
    private readonly store: PowerMonitorStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly targets: TargetNetworks,
    @Optional() private readonly pollMetrics?: NutPollMetrics,
  ) {}

  public get running(): boolean {
    return this.token !== null;
  }

  /** Starts polling with `fencingToken`; `onFenced` is called if a newer leader is seen. */
  public async start(fencingToken: bigint, onFenced: (error: FencedOffError) => void): Promise<void> {
    if (this.token !== null) await this.stop();
    this.token = fencingToken;
    this.onFenced = onFenced;
    const generation = ++this.generation;
    this.logger.log(`power monitor started (fencing token ${fencingToken})`);
    await this.refreshInventory(generation);
    const refresh = (): void => {
      this.inventoryTimer = setTimeout(() => {
        void this.refreshInventory(generation).finally(() => {
          if (this.generation === generation && this.token !== null) refresh();
        });
      }, this.config.powerMonitor.inventoryRefreshMs);
    };
    if (this.generation === generation) refresh();
  }

  /** Stops every poller; pending writes are dropped (the next leader re-reads the truth). */
  public async stop(): Promise<void> {
    if (this.token === null) return;
    this.token = null;
    this.generation += 1;
    clearTimeout(this.inventoryTimer);
    const loops = [...this.loops.values()];
    this.loops.clear();
    for (const loop of loops) clearTimeout(loop.timer);
    await Promise.all(
      loops.map(async (loop) => {
        await loop.poller.stop();
        await loop.running?.catch(() => undefined);
      }),
    );
    this.logger.log('power monitor stopped');
  }

  public async beforeApplicationShutdown(): Promise<void> {
    await this.stop();
  }

  public runtime(): PowerMonitorRuntime {
    return {
      running: this.token !== null,
      fencingToken: this.token === null ? null : this.token.toString(),
      servers: [...this.loops.values()].map((loop) => loop.poller.runtimeState()),
    };
  }

  private async refreshInventory(generation: number): Promise<void> {
    let servers: InventoryServer[];
    try {
      servers = await this.store.loadInventory();
    } catch (error) {
      this.logger.warn(
        `cannot read the NUT inventory: ${error instanceof Error ? error.message : String(error)}; keeping the last one`,
      );
      return;
    }
    if (this.generation !== generation) return;
    const seen = new Set<string>();
    for (const server of servers) {
      seen.add(server.id);
      const loop = this.loops.get(server.id);
      if (loop !== undefined && loop.poller.fingerprint === connectionFingerprint(server)) {
        loop.poller.sync(server);
        continue;
      }
      if (loop !== undefined) {
        this.logger.log(`NUT server ${loop.poller.label}: connection settings changed, reconnecting`);
        await this.removeLoop(server.id);
      }
      this.addLoop(server, generation, await this.targetOf(server));
    }
    for (const id of [...this.loops.keys()]) if (!seen.has(id)) await this.removeLoop(id);
  }

  /** Where the server may be reached under ALLOWED_TARGET_NETWORKS (unrestricted: as written). */
  private async targetOf(server: InventoryServer): Promise<{ connectTo: string } | { refused: string }> {
    try {
      return { connectTo: await this.targets.resolveAllowed(server.host) };
    } catch (error) {
      return { refused: error instanceof Error ? error.message : String(error) };
    }
  }

  private addLoop(
    server: InventoryServer,
    generation: number,
    target: { connectTo: string } | { refused: string },
  ): void {
    const poller = new NutServerPoller(server, {
      target,
      commLossReportMs: this.config.powerMonitor.commLossReportMs,
      requestTimeoutMs: Math.min(5000, Math.max(1000, this.config.powerMonitor.pollIntervalMs * 2)),
      openPassword: (s) =>
        s.passwordEnc === null
          ? undefined
          : openSecret(s.passwordEnc, [this.config.secretKey], `nutServer:${s.id}:password`),
      logger: this.logger,
    });
    const pacing = {
      baseMs: this.config.powerMonitor.pollIntervalMs,
      maxMs: this.config.powerMonitor.pollMaxIntervalMs,
    };
    const loop: ServerLoop = {
      poller,
      timer: undefined,
      running: undefined,
      pending: emptyBatch(),
      intervalMs: pacing.baseMs,
    };
    this.loops.set(server.id, loop);
    poller.start();
    // Fixed cadence: the next round is due one interval after the previous one started, and a
    // round that overruns is not stacked on top of itself. The interval is this server's own:
    // a server too slow for it is polled less often (nextPollInterval) rather than hammered.
    const schedule = (dueAt: number): void => {
      loop.timer = setTimeout(
        () => {
          if (this.generation !== generation || this.loops.get(server.id) !== loop) return;
          const round = this.round(loop);
          loop.running = round.then(
            () => undefined,
            () => undefined,
          );
          void round
            .then((pollMs) => {
              if (pollMs !== null) this.pace(loop, pollMs, pacing);
            })
            .finally(() => {
              loop.running = undefined;
              schedule(Math.max(dueAt + loop.intervalMs, Date.now()));
            });
        },
        Math.max(0, dueAt - Date.now()),
      );
    };
    schedule(Date.now());
  }

  /** Adapts the server's interval to how long its last round took; says so when it changes. */
  private pace(loop: ServerLoop, roundMs: number, pacing: PollPacing): void {
    const next = nextPollInterval(loop.intervalMs, roundMs, pacing);
    if (next === loop.intervalMs) return;
    if (next > loop.intervalMs) {
      this.logger.warn(
        `NUT server ${loop.poller.label}: a poll round took ${Math.round(roundMs)} ms, longer than its ${loop.intervalMs} ms interval; polling every ${next} ms`,
      );
    } else {
      this.logger.log(`NUT server ${loop.poller.label}: answering quickly again; polling every ${next} ms`);
    }
    loop.intervalMs = next;
  }

  private async removeLoop(id: string): Promise<void> {
    const loop = this.loops.get(id);
    if (loop === undefined) return;
    this.loops.delete(id);
    clearTimeout(loop.timer);
    await loop.poller.stop();
  }

  /**
   * Polls the server once and records what changed. Returns how long the poll itself took, ms
   * (what the pacing reads: a slow database must not slow the polling of upsd), null if none ran.
   */
  private async round(loop: ServerLoop): Promise<number | null> {
    const token = this.token;
    if (token === null) return null;
    let results: UpsPollResult[];
    const started = performance.now();
    let pollMs: number;
    try {
      results = await loop.poller.poll();
      pollMs = performance.now() - started;
      this.pollMetrics?.observe(
        loop.poller.label,
        pollMs / 1000,
        results.every((r) => r.outcome.ok),
      );
    } catch (error) {
      this.pollMetrics?.observe(loop.poller.label, (performance.now() - started) / 1000, false);
      this.logger.error(
        `poll round on ${loop.poller.label} failed: ${error instanceof Error ? error.message : String(error)}`,
      );
      return performance.now() - started;
    }
    this.collect(loop, results);
    await this.flush(loop, token);
    return pollMs;
  }

  /** Turns transitions into events and row updates, queued in `loop.pending`. */
  private collect(loop: ServerLoop, results: UpsPollResult[]): void {
    const now = Date.now();
    for (const { ups, outcome, transition } of results) {
      const receivedAt = new Date(outcome.at);
      const observedAt = outcome.ok ? serverObservedAt(outcome.variables) : null;
      for (const change of transition.changes) {
        const event: PowerEventDraft = {
          type: change.type,
          upsId: ups.id,
          status: change.status,
          previousStatus: change.previousStatus,
          data: { ups: ups.name, server: loop.poller.label, ...change.data } as Prisma.InputJsonValue,
          observedAt,
          receivedAt,
        };
        loop.pending.events.push(event);
        this.logChange(loop, ups.name, event);
      }
      const error = loop.poller.rowError(ups);
      const significant = transition.significant || error !== ups.writtenError;
      const write = shouldWriteUpsRow({
        now,
        significant,
        lastWriteAt: ups.lastWriteAt,
        writtenVariables: ups.writtenVariables,
        currentVariables: ups.state.variables,
        minVariablesIntervalMs: MIN_VARIABLES_WRITE_INTERVAL_MS,
        lastSeenRefreshMs: this.config.powerMonitor.lastSeenRefreshMs,
        onBattery: isOnBatteryStatus(ups.state.status),
      });
      if (!write) continue;
      const update: UpsRowUpdate = {
        id: ups.id,
        status: ups.state.status,
        variables: ups.state.variables,
        commState: ups.state.commState,
        commError: error,
        lastSeenAt: ups.state.lastGoodAt === null ? null : new Date(ups.state.lastGoodAt),
      };
      loop.pending.upses = [...loop.pending.upses.filter((u) => u.id !== ups.id), update];
      if (outcome.ok) loop.pending.samples.push({ upsId: ups.id, ...sampleOf(ups.state, outcome.at) });
      ups.lastWriteAt = now;
      ups.writtenVariables = ups.state.variables;
      ups.writtenError = error;
    }
    if (loop.pending.events.length > MAX_PENDING_EVENTS) {
      const dropped = loop.pending.events.length - MAX_PENDING_EVENTS;
      loop.pending.events.splice(0, dropped);
      loop.pending.samples.splice(0, Math.max(0, loop.pending.samples.length - MAX_PENDING_EVENTS));
      this.logger.error(
        `PostgreSQL unreachable for long: dropped the ${dropped} oldest unrecorded power events of ${loop.poller.label}`,
      );
    }
  }

  private async flush(loop: ServerLoop, token: bigint): Promise<void> {
    const batch = loop.pending;
    if (batch.events.length === 0 && batch.upses.length === 0 && batch.samples.length === 0) return;
    loop.pending = emptyBatch();
    try {
      await this.store.write(token, batch);
      if (batch.events.length > 0) for (const listener of this.recordedListeners) listener();
    } catch (error) {
      if (error instanceof FencedOffError) {
        this.logger.error(error.message);
        this.onFenced?.(error);
        return;
      }
      // Keep the batch (in order, before anything newer) and retry with the next round.
      loop.pending = {
        events: [...batch.events, ...loop.pending.events],
        upses: [...batch.upses.filter((u) => !loop.pending.upses.some((n) => n.id === u.id)), ...loop.pending.upses],
        samples: [...batch.samples, ...loop.pending.samples],
      };
      this.logger.warn(
        `cannot record power events of ${loop.poller.label} (${error instanceof Error ? error.message : String(error)}); retrying`,
      );
    }
  }

  /**
   * `listener` runs (synchronously, must not throw) each time power events were recorded: the
   * outage planner on this replica decides at once instead of at its next tick — on an LB that
   * tick is time the batteries do not have.
   */
  public onEventsRecorded(listener: () => void): void {
    this.recordedListeners.push(listener);
  }

  private logChange(loop: ServerLoop, ups: string, event: PowerEventDraft): void {
    const where = `${ups}@${loop.poller.label}`;
    const data = event.data as Record<string, unknown>;
    switch (event.type) {
      case 'STATUS_CHANGE':
        this.logger.log(`${where}: status ${event.previousStatus ?? '(none)'} -> ${event.status ?? '(none)'}`);
        break;
      case 'COMM_LOST':
        this.logger.warn(
          `${where}: communication lost (${String(data.error)}: ${String(data.message)}), last status ${event.status ?? 'unknown'}`,
        );
        break;
      case 'COMM_RESTORED':
        this.logger.log(`${where}: communication restored, status ${event.status ?? 'unknown'}`);
        break;
      case 'STALE_DATA':
        if (data.stale === true) this.logger.warn(`${where}: data stale (the driver stopped updating upsd)`);
        else this.logger.log(`${where}: data fresh again`);
        break;
      default:
        break;
    }
  }
}

function emptyBatch(): MonitorWriteBatch {
  return { events: [], upses: [], samples: [] };
}

import {
  type BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
} from '@nestjs/common';

import { APP_CONFIG, AppConfig } from '@nutfleet/config';
import { PrismaService, sqlRows, upsertFleetReadinessRows } from '@nutfleet/db';
import { dueReadinessChecks } from '@nutfleet/power';
import { jobId, JobName } from '@nutfleet/queue';
import { PeriodicTask } from '@nutfleet/runtime';

import { OrchestratorPlanStore } from '../plan-store/plan-store.module';
import { JobProducer } from '../queues/job-producer.service';
import { ReadinessInputsLoader } from './readiness-inputs.loader';

/** Hosts whose inputs are loaded and jobs added together (one snapshot and plan per batch). */
const BATCH = 250;

/**
 * Runs the fleet readiness checks: every host once per interval at its own offset (so a pass over
 * 1,000 hosts is a steady trickle, not a storm), and at once when it is first seen — right after
 * start, when it is added — or when what reaching or judging it depends on changes (address,
 * credentials, pinned key, trust, MACs, group, policy, stage, supplies). The worker's readiness
 * queue concurrency bounds the SSH sessions; the checks that need no SSH are judged here.
 *
 * Every replica may run it: periodic jobs have the pass number in their id, so the same slot
 * is one job whichever replica adds it; results are last-writer-wins per check.
 *
 * It stands aside while an outage is open (until the outage is closed, restart included): each
 * tick loads the whole fleet's snapshot and builds its shutdown plan twice, and its SSH checks
 * would take worker CPU and sessions from the shutdown's first commands. The slots that fall in
 * an outage are skipped, not caught up afterwards (hosts going down or waking would fail them
 * anyway); hosts that changed meanwhile are checked at the first tick after it.
 */
@Injectable()
export class FleetReadinessScheduler implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('FleetReadiness');
  private readonly loop: PeriodicTask;
  /** Host id → fingerprint of what its checks depend on, as last scheduled. */
  private readonly known = new Map<string, string>();
  private lastTick: number | null = null;
  private failing = false;
  /** The open outage the scheduler is standing aside for (logged once when it starts and ends). */
  private pausedFor: string | null = null;

  public constructor(
    private readonly prisma: PrismaService,
    private readonly plans: OrchestratorPlanStore,
    private readonly inputs: ReadinessInputsLoader,
    private readonly jobs: JobProducer,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.loop = new PeriodicTask({
      // tick() resolves to a count, not a due time: the pass resolves to nothing.
      run: async () => {
        await this.tick();
      },
      // About a hundred ticks per interval, between 1 s and 10 s: slots are met within a tick.
      intervalMs: Math.min(10_000, Math.max(1000, Math.floor(config.fleetReadiness.intervalMs / 100))),
      onError: (error) => this.logger.warn(`readiness scheduling failed: ${String(error)}`),
    });
  }

  public onApplicationBootstrap(): void {
    if (this.config.fleetReadiness.enabled) this.loop.start();
  }

  public async beforeApplicationShutdown(): Promise<void> {
    await this.loop.stop();
  }

  /** One scheduling step; public for tests and the bench. Returns the number of hosts queued. */
  public async tick(now = Date.now()): Promise<number> {
    try {
      if (await this.standingAside()) {
        if (this.lastTick !== null) this.lastTick = now;
        return 0;
      }
      const hosts = await sqlRows<{ id: string; fingerprint: string }>(
        this.prisma.pool,
        `SELECT "id"::text AS "id",
                md5(concat_ws('|', "address", "sshPort", "username", "passwordEnc", "privateKeyEnc",
                              "hostKeyFingerprint", "trustState", array_to_string("macAddresses", ','),
                              "groupId", "policyId", "minSupplies", "shutdownStage")) AS "fingerprint"
           FROM "Host"`,
        [],
      );
      const changed = hosts.filter((h) => this.known.get(h.id) !== h.fingerprint);
      const changedIds = new Set(changed.map((h) => h.id));
      const periodic =
        this.lastTick === null
          ? []
          : dueReadinessChecks(
              hosts.filter((h) => !changedIds.has(h.id)).map((h) => h.id),
              this.config.fleetReadiness.intervalMs,
              this.lastTick,
              now,
            );
      const due = [
        ...changed.map((h) => ({ hostId: h.id, id: jobId('readiness', h.id, 'c', h.fingerprint.slice(0, 12), now) })),
        ...periodic.map((d) => ({ hostId: d.hostId, id: jobId('readiness', d.hostId, 'p', d.pass) })),
      ];
      for (let i = 0; i < due.length; i += BATCH) await this.run(due.slice(i, i + BATCH), now);
      for (const h of changed) this.known.set(h.id, h.fingerprint);
      const present = new Set(hosts.map((h) => h.id));
      for (const id of this.known.keys()) if (!present.has(id)) this.known.delete(id);
      this.lastTick = now;
      if (this.failing) this.logger.log('readiness scheduling works again');
      this.failing = false;
      return due.length;
    } catch (error) {
      if (!this.failing)
        this.logger.warn(`readiness scheduling failed: ${error instanceof Error ? error.message : String(error)}`);
      this.failing = true;
      return 0;
    }
  }

  /** Whether an outage is open; logs the pause and the resumption once each. */
  private async standingAside(): Promise<boolean> {
    const outage = await this.plans.outages.current();
    const id = outage?.id ?? null;
    if (id !== this.pausedFor) {
      if (id !== null) this.logger.log(`readiness checks paused while outage ${id} is open`);
      else this.logger.log(`readiness checks resumed: outage ${this.pausedFor ?? ''} closed`);
      this.pausedFor = id;
    }
    return id !== null;
  }

  private async run(due: readonly { hostId: string; id: string }[], now: number): Promise<void> {
    const { expectations, results } = await this.inputs.load(
      due.map((d) => d.hostId),
      now,
    );
    await upsertFleetReadinessRows(
      this.prisma,
      [...results].flatMap(([hostId, checks]) =>
        checks.map((c) => ({ hostId, code: c.code, ok: c.ok, message: c.message, checkedAt: new Date(c.checkedAt) })),
      ),
    );
    const byHost = new Map(expectations.map((e) => [e.hostId, e]));
    for (const d of due) {
      const data = byHost.get(d.hostId);
      if (data !== undefined) await this.jobs.add(JobName.CheckHostReadiness, data, { jobId: d.id });
    }
  }
}

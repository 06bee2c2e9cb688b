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
 */
@Injectable()
export class FleetReadinessScheduler implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('FleetReadiness');
  private readonly loop: PeriodicTask;
  /** Host id → fingerprint of what its checks depend on, as last scheduled. */
  private readonly known = new Map<string, string>();
  private lastTick: number | null = null;
  private failing = false;

  public constructor(
    private readonly prisma: PrismaService,
    private readonly inputs: ReadinessInputsLoader,
    private readonly jobs: JobProducer,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.loop = new PeriodicTask({
      run: () => this.tick(),
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

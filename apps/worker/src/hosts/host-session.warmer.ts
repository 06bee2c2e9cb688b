import { Inject, Injectable, Logger, OnApplicationBootstrap, BeforeApplicationShutdown } from '@nestjs/common';

import { APP_CONFIG, AppConfig } from '@nutfleet/config';
import { PrismaService } from '@nutfleet/db';
import { EsxiError } from '@nutfleet/esxi';
import { errorText, PeriodicTask } from '@nutfleet/runtime';

import { WorkerPlanStore } from '../plans/worker-plan.store';
import { HostConnector } from './host-connector';

const PROBE_TIMEOUT_MS = 10_000;
/** How long a pass trusts its last look at the outage state before asking PostgreSQL again. */
const SHEDDING_CHECK_MS = 500;

/**
 * Keeps this worker's pooled SSH session to every host a shutdown plan may take down (TRUSTED,
 * pinned key, at least one power feed, `minSupplies` > 0) open and proven: on start and every
 * HOST_SESSION_WARM_INTERVAL_MS it runs the no-op `true` on each, through the same trust-checking
 * connector plan steps use.
 *
 * Why: when the batteries run low, the first shutdown command must leave at once. A cold
 * session costs a TCP + SSH handshake + authentication per host — tens of ms each on a LAN,
 * seconds for a fleet when they queue behind each other — and a host that cannot be reached or
 * whose key changed is better found now than mid-outage. The no-op command (not just the
 * keep-alives) re-arms the pool's idle timer, so the interval must stay below the 5 min SSH idle
 * timeout. Every worker warms every such host, since any worker may take a plan step.
 * Failures are logged and make the host `unreachable` (not `off`: only a plan or a failed wake
 * knows that); the plan step reconnects (or fails with the reason) on its own.
 *
 * A pass stands aside while an outage is shedding (no pass starts, a running one stops within
 * SHEDDING_CHECK_MS): at 5,000 hosts a pass is thousands of commands, which would take the worker's
 * CPU from the shutdown's first commands; the sessions it keeps are already open, and a plan step
 * opens any that is not.
 */
@Injectable()
export class HostSessionWarmer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(HostSessionWarmer.name);
  private readonly loop: PeriodicTask;

  public constructor(
    private readonly prisma: PrismaService,
    private readonly connector: HostConnector,
    private readonly plans: WorkerPlanStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.loop = new PeriodicTask({
      run: async () => {
        await this.warmAll();
      },
      intervalMs: config.worker.sessionWarmIntervalMs,
      onError: (error) => this.logger.warn(`warm-up pass failed: ${errorText(error)}`),
    });
  }

  public onApplicationBootstrap(): void {
    if (this.config.worker.sessionWarmIntervalMs > 0) this.loop.start();
  }

  public async beforeApplicationShutdown(): Promise<void> {
    await this.loop.stop();
  }

  /**
   * One pass over every host a shutdown plan may take down; returns how many answered, how many
   * did not, and how many could not be tried (this worker's own trouble, e.g. PostgreSQL busy).
   */
  public async warmAll(): Promise<{ warmed: number; failed: number; notTried: number }> {
    const shedding = this.sheddingCheck();
    if (await shedding()) return { warmed: 0, failed: 0, notTried: 0 };
    const rows = await this.prisma.host.findMany({
      where: { trustState: 'TRUSTED', hostKeyFingerprint: { not: null }, minSupplies: { gt: 0 }, feeds: { some: {} } },
      select: { id: true },
    });
    const ids = rows.map((r) => r.id);
    let next = 0;
    let warmed = 0;
    const failures: string[] = [];
    const notTried: string[] = [];
    const lane = async (): Promise<void> => {
      while (!this.loop.stopped && next < ids.length && !(await shedding())) {
        // Taken after the await: another lane may have taken the last host meanwhile.
        const id = ids[next++];
        if (id === undefined) return;
        try {
          await this.connector.withHost(id, ({ host }) => host.exec(['true'], { timeoutMs: PROBE_TIMEOUT_MS }));
          warmed += 1;
          await this.plans.hostPower.observe(id, { kind: 'ssh-answered', at: new Date() }).catch(() => undefined);
        } catch (error) {
          // Only the host's own answer (SSH) says it is unreachable: a failure to read its row or
          // open its credentials is this worker's (a busy 5,000-host bench marked hosts unreachable so).
          if (!(error instanceof EsxiError)) {
            notTried.push(`${id}: ${errorText(error)}`);
            continue;
          }
          failures.push(`${id}: ${errorText(error)}`);
          // A host known off stays off; any other becomes "unreachable" until it answers again.
          await this.plans.hostPower
            .observe(id, { kind: 'ssh-unreachable', at: new Date(), error: errorText(error) })
            .catch(() => undefined);
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.config.worker.sessionWarmConcurrency, ids.length) }, lane));
    if (failures.length > 0)
      this.logger.warn(`SSH warm-up: ${failures.length}/${ids.length} host(s) unreachable, e.g. ${failures[0] ?? ''}`);
    if (notTried.length > 0)
      this.logger.warn(
        `SSH warm-up: ${notTried.length}/${ids.length} host(s) not tried, left as they were, e.g. ${notTried[0] ?? ''}`,
      );
    if (failures.length + notTried.length === 0) this.logger.debug(`SSH warm-up: ${warmed} session(s) ready`);
    return { warmed, failed: failures.length, notTried: notTried.length };
  }

  /** Whether an outage is shedding its hosts now, read at most every SHEDDING_CHECK_MS for all lanes. */
  private sheddingCheck(): () => Promise<boolean> {
    let checked: { at: number; answer: Promise<boolean> } | undefined;
    return () => {
      const now = Date.now();
      if (checked === undefined || now - checked.at >= SHEDDING_CHECK_MS)
        checked = {
          at: now,
          answer: this.plans.outages.current().then(
            (outage) => outage?.state === 'SHEDDING',
            () => false,
          ),
        };
      return checked.answer;
    };
  }
}

/**
 * Makes exactly one orchestrator replica run the power monitor (and the outage lifecycle). Every
 * renewal period (a third of the lease TTL) a follower tries to take the lease; the leader renews
 * it. The lease and its fencing token live in PostgreSQL (leader-lease.ts), so losing Redis never
 * stops the monitor. The leader keeps its lease's validity on its own clock, counted from when each
 * renewal was sent: if PostgreSQL stops answering it polls on only until that moment (it can no
 * longer prove it leads, and could not record anything either), then stops with a warning.
 *
 * A renewal may take as long as the lease has left, the next one is due a period after the last
 * one began, and one that failed is tried again after RENEW_RETRY_MS, not a whole period later:
 * when an outage starts at 5,000 hosts the machine is saturated and PostgreSQL answers slowly,
 * and a leader that gave up after a sixth of the TTL and then waited another third stepped down
 * in the middle of the outage it was planning.
 */
import { hostname } from 'node:os';

import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type BeforeApplicationShutdown,
} from '@nestjs/common';

import { APP_CONFIG, type AppConfig } from '@nutfleet/config';
import { SafetyPrismaService } from '@nutfleet/db';

import { LeaderLease } from './leader-lease';
import { PowerMonitorService } from './power-monitor.service';

/** A failed renewal is tried again this soon (while the lease is still valid). */
export const RENEW_RETRY_MS = 200;
/** No renewal is given less time than this, even with less validity left. */
const MIN_RENEW_TIMEOUT_MS = 250;

export interface LeadershipState {
  enabled: boolean;
  leader: boolean;
  holder: string;
  fencingToken: string | null;
  /** Until when our lease is known valid (leader only). */
  validUntil: string | null;
}

@Injectable()
export class PowerMonitorLeadership implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('PowerMonitorLeadership');
  private readonly lease: LeaderLease;
  private timer: NodeJS.Timeout | undefined;
  private expiryTimer: NodeJS.Timeout | undefined;
  private validUntil = 0;
  private leading = false;
  private stopping = false;
  private leaseTrouble = false;
  private busy = false;
  /** The last renewal failed: the next one comes after RENEW_RETRY_MS. */
  private retrySoon = false;

  public constructor(
    // The safety pool: no API load may keep the leader from renewing its lease.
    prisma: SafetyPrismaService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly monitor: PowerMonitorService,
  ) {
    this.lease = new LeaderLease(prisma, {
      ttlMs: config.powerMonitor.leaseTtlMs,
      commandTimeoutMs: Math.max(MIN_RENEW_TIMEOUT_MS, Math.floor(this.renewEveryMs / 2)),
      holderName: `${hostname()}:${process.pid}`,
    });
  }

  private get renewEveryMs(): number {
    return Math.floor(this.config.powerMonitor.leaseTtlMs / 3);
  }

  public get isLeader(): boolean {
    return this.leading;
  }

  /** The token the leader's writes are fenced with (null unless leading). */
  public get fencingToken(): bigint | null {
    return this.leading ? (this.lease.fencingToken ?? null) : null;
  }

  public state(): LeadershipState {
    return {
      enabled: this.config.powerMonitor.enabled,
      leader: this.leading,
      holder: this.lease.holder,
      fencingToken: this.lease.fencingToken?.toString() ?? null,
      validUntil: this.leading ? new Date(this.validUntil).toISOString() : null,
    };
  }

  public onApplicationBootstrap(): void {
    if (!this.config.powerMonitor.enabled) {
      this.logger.log('power monitor disabled on this replica (POWER_MONITOR_ENABLED=false)');
      return;
    }
    this.schedule(0);
  }

  public async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.timer);
    clearTimeout(this.expiryTimer);
    if (!this.leading) return;
    this.leading = false;
    await this.monitor.stop();
    // Release so another replica takes over at once rather than after the TTL.
    await this.lease
      .release()
      .catch((error: unknown) => this.logger.warn(`could not release the leader lease: ${String(error)}`));
    this.logger.log('released the power-monitor lease');
  }

  private schedule(delayMs: number): void {
    if (this.stopping) return;
    this.timer = setTimeout(() => void this.tick(), delayMs);
  }

  private async tick(): Promise<void> {
    if (this.busy || this.stopping) return;
    this.busy = true;
    const began = Date.now();
    try {
      if (this.leading) await this.renew();
      else await this.tryLead();
    } finally {
      this.busy = false;
      // A period from when this attempt began, not from its answer: slow answers must not
      // stretch the time between renewals past what the lease covers.
      const next = this.leading && this.retrySoon ? RENEW_RETRY_MS : this.renewEveryMs - (Date.now() - began);
      this.schedule(Math.max(0, next));
    }
  }

  private async tryLead(): Promise<void> {
    let fencing: bigint | null;
    const sentAt = Date.now();
    try {
      fencing = await this.lease.tryAcquire();
      this.leaseOk();
    } catch (error) {
      this.leaseFailed(error, 'cannot try to take the power-monitor lease');
      return;
    }
    if (fencing === null) return;
    if (this.stopping) {
      await this.lease.release().catch(() => undefined);
      return;
    }
    this.leading = true;
    this.extendValidity(sentAt);
    this.logger.log(`this replica now leads the power monitor (${this.lease.holder}, fencing token ${fencing})`);
    await this.monitor.start(fencing, (error) => void this.stepDown(`fenced off: ${error.message}`));
  }

  private async renew(): Promise<void> {
    const sentAt = Date.now();
    let renewed: boolean;
    try {
      // An answer that comes before the lease runs out is still good: wait for it until then.
      renewed = await this.lease.renew(Math.max(MIN_RENEW_TIMEOUT_MS, this.validUntil - sentAt));
      this.retrySoon = false;
      this.leaseOk();
    } catch (error) {
      this.retrySoon = true;
      const left = this.validUntil - Date.now();
      this.leaseFailed(
        error,
        `cannot renew the power-monitor lease; polling continues only until it would expire (${Math.max(0, left)} ms)`,
      );
      return;
    }
    if (!renewed) {
      await this.stepDown('the lease was lost (expired or taken by another replica)');
      return;
    }
    this.extendValidity(sentAt);
  }

  private extendValidity(sentAt: number): void {
    // Counted from when the request left: PostgreSQL started the new TTL no earlier than that.
    this.validUntil = sentAt + this.config.powerMonitor.leaseTtlMs;
    clearTimeout(this.expiryTimer);
    this.expiryTimer = setTimeout(() => {
      if (this.leading && Date.now() >= this.validUntil) {
        void this.stepDown(
          'the lease expired without a successful renewal (PostgreSQL unreachable?): cannot prove leadership, stopped polling',
        );
      }
    }, this.validUntil - Date.now());
  }

  private async stepDown(reason: string): Promise<void> {
    if (!this.leading) return;
    this.leading = false;
    this.retrySoon = false;
    clearTimeout(this.expiryTimer);
    this.lease.forget();
    this.logger.warn(`no longer leading the power monitor: ${reason}`);
    await this.monitor.stop();
  }

  private leaseFailed(error: unknown, what: string): void {
    if (!this.leaseTrouble || this.leading) {
      this.logger.warn(`${what}: ${error instanceof Error ? error.message : String(error)}`);
    }
    this.leaseTrouble = true;
  }

  private leaseOk(): void {
    if (this.leaseTrouble) this.logger.log('PostgreSQL answers the lease again');
    this.leaseTrouble = false;
  }
}

/**
 * One tail of the PowerEvent table and of the Ups rows per process, shared by every live-stream
 * client, running only while someone listens. Tailing PostgreSQL (not an in-process emitter)
 * makes every replica's stream show what the leader records. Event ids commit in order because
 * the monitor writes one batch at a time (PowerMonitorStore), so `id > last` misses nothing.
 */
import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';

import { type PowerEventView } from './power-event.view';
import { PowerEventsService } from './power-events.service';
import { UpsLiveStateService } from './ups-live-state.service';
import { type UpsLiveView } from './ups-live.view';

export type FeedMessage = { kind: 'event'; event: PowerEventView } | { kind: 'ups'; ups: UpsLiveView };

export type FeedSubscriber = (message: FeedMessage) => void;

/** How often the tail looks for new rows while clients listen. */
export const FEED_POLL_MS = 250;
/** Ups rows are re-read with this overlap so a row updated during a read is not missed. */
const UPS_OVERLAP_MS = 2000;

function upsFingerprint(ups: UpsLiveView): string {
  // lastSeenAt alone moving is not a state change worth a message.
  return JSON.stringify([
    ups.status,
    ups.commState,
    ups.commError,
    ups.batteryCharge,
    ups.batteryRuntimeSeconds,
    ups.upsLoad,
  ]);
}

@Injectable()
export class PowerEventFeed implements OnApplicationShutdown {
  private readonly logger = new Logger('PowerEventFeed');
  private readonly subscribers = new Set<FeedSubscriber>();
  private lastId: bigint | null = null;
  private upsSince = new Date(0);
  private upsFingerprints: Map<string, string> | null = null;
  private timer: NodeJS.Timeout | undefined;
  private failing = false;

  public constructor(
    private readonly events: PowerEventsService,
    private readonly upses: UpsLiveStateService,
  ) {}

  /** Starts delivering new rows to `subscriber`; returns the unsubscribe function. */
  public subscribe(subscriber: FeedSubscriber): () => void {
    this.subscribers.add(subscriber);
    if (this.timer === undefined) this.schedule(0);
    return () => {
      this.subscribers.delete(subscriber);
      if (this.subscribers.size === 0) this.reset();
    };
  }

  public onApplicationShutdown(): void {
    this.subscribers.clear();
    this.reset();
  }

  private reset(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.lastId = null;
    this.upsFingerprints = null;
  }

  private schedule(delayMs: number): void {
    this.timer = setTimeout(() => {
      void this.tick().finally(() => {
        if (this.subscribers.size > 0) this.schedule(FEED_POLL_MS);
        else this.reset();
      });
    }, delayMs);
  }

  private async tick(): Promise<void> {
    try {
      await this.tailEvents();
      await this.tailUpses();
      if (this.failing) this.logger.log('live stream reads PostgreSQL again');
      this.failing = false;
    } catch (error) {
      if (!this.failing)
        this.logger.warn(
          `live stream cannot read PostgreSQL: ${error instanceof Error ? error.message : String(error)}`,
        );
      this.failing = true;
    }
  }

  private async tailEvents(): Promise<void> {
    if (this.lastId === null) {
      this.lastId = await this.events.latestId();
      return;
    }
    for (;;) {
      const batch = await this.events.after(this.lastId, 500);
      for (const event of batch) {
        this.lastId = BigInt(event.id);
        this.broadcast({ kind: 'event', event });
      }
      if (batch.length < 500) return;
    }
  }

  private async tailUpses(): Promise<void> {
    const startedAt = new Date();
    const changed = await this.upses.changedSince(new Date(this.upsSince.getTime() - UPS_OVERLAP_MS));
    const first = this.upsFingerprints === null;
    const fingerprints = this.upsFingerprints ?? new Map<string, string>();
    for (const ups of changed) {
      const fingerprint = upsFingerprint(ups);
      if (fingerprints.get(ups.id) === fingerprint) continue;
      fingerprints.set(ups.id, fingerprint);
      // The first read only learns the current state: new clients get it as their snapshot.
      if (!first) this.broadcast({ kind: 'ups', ups });
    }
    this.upsFingerprints = fingerprints;
    this.upsSince = startedAt;
  }

  private broadcast(message: FeedMessage): void {
    for (const subscriber of [...this.subscribers]) {
      try {
        subscriber(message);
      } catch (error) {
        this.logger.warn(`a live-stream client failed: ${String(error)}`);
        this.subscribers.delete(subscriber);
      }
    }
  }
}

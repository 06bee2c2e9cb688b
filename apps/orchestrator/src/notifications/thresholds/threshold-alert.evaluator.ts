import { Inject, Injectable } from '@nestjs/common';

import { APP_CONFIG, AppConfig } from '@nutfleet/config';
import { Prisma, PrismaService } from '@nutfleet/db';
import {
  evaluateThreshold,
  readingFor,
  thresholdAlertMessage,
  type ThresholdEvent,
  thresholdRecoveryMessage,
} from '@nutfleet/notify';

import { type NotificationDraft } from '../notification-events';
import { upsAddress, UpsNotificationContext } from '../ups-context';
import { thresholdReadings } from './threshold-readings';

/** A row the monitor has not refreshed for this long is stale (it refreshes at least every lastSeenRefreshMs). */
const MIN_STALE_MS = 60_000;

/**
 * Evaluates the enabled thresholds against the UPS rows the power monitor keeps current, and sends
 * an alert when one is crossed and a recovery when it is over (with hysteresis, see
 * evaluateThreshold). State lives in NotificationThresholdState so every replica agrees: the
 * delivery is created first under a key naming the alert's episode (a repeat is a no-op), then
 * the state moves with a conditional update that only one replica wins.
 */
@Injectable()
export class ThresholdAlertEvaluator {
  private readonly staleAfterMs: number;

  public constructor(
    private readonly prisma: PrismaService,
    private readonly context: UpsNotificationContext,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.staleAfterMs = Math.max(MIN_STALE_MS, 3 * config.powerMonitor.lastSeenRefreshMs);
  }

  public async evaluate(send: (draft: NotificationDraft) => Promise<void>, now = new Date()): Promise<void> {
    const thresholds = await this.prisma.notificationThreshold.findMany({ where: { enabled: true } });
    if (thresholds.length === 0) return;
    const everyUps = thresholds.some((t) => t.upsId === null);
    const upses = await this.prisma.ups.findMany({
      where: everyUps ? {} : { id: { in: thresholds.map((t) => t.upsId ?? '') } },
      select: {
        id: true,
        name: true,
        variables: true,
        commState: true,
        lastSeenAt: true,
        nutServer: { select: { host: true, port: true } },
      },
    });
    const states = new Map(
      (
        await this.prisma.notificationThresholdState.findMany({
          where: { thresholdId: { in: thresholds.map((t) => t.id) } },
        })
      ).map((s) => [`${s.thresholdId}:${s.upsId}`, s]),
    );
    let hosts: Map<string, string[]> | undefined;
    for (const ups of upses) {
      const readings = thresholdReadings(ups, now, this.staleAfterMs);
      if (readings === null) continue;
      for (const threshold of thresholds.filter((t) => t.upsId === null || t.upsId === ups.id)) {
        const state = states.get(`${threshold.id}:${ups.id}`);
        const value = readingFor(threshold.metric, readings);
        const verdict = evaluateThreshold(threshold, value, state?.active ?? false);
        if (verdict === 'unchanged' || value === undefined) continue;
        hosts ??= await this.context.hostsFedBy(upses.map((u) => u.id));
        const episode = verdict === 'crossed' ? (state?.episode ?? 0) + 1 : (state?.episode ?? 0);
        const event: ThresholdEvent = {
          thresholdId: threshold.id,
          rule: threshold,
          severity: threshold.severity,
          upsId: ups.id,
          ups: upsAddress(ups),
          hosts: hosts.get(ups.id) ?? [],
          value,
          at: now,
        };
        const crossed = verdict === 'crossed';
        await send({
          dedupKey: `threshold:${threshold.id}:${ups.id}:${episode}:${crossed ? 'alert' : 'recovered'}`,
          message: crossed ? thresholdAlertMessage(event) : thresholdRecoveryMessage(event),
        });
        await this.move(threshold.id, ups.id, state, { active: crossed, episode, value, since: now });
      }
    }
  }

  /** Moves the state if nobody moved it since it was read; losing that race is fine (same episode). */
  private async move(
    thresholdId: string,
    upsId: string,
    was: { active: boolean; episode: number } | undefined,
    next: { active: boolean; episode: number; value: number; since: Date },
  ): Promise<void> {
    if (was === undefined) {
      try {
        await this.prisma.notificationThresholdState.create({ data: { thresholdId, upsId, ...next } });
      } catch (error) {
        if (!(error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002')) throw error;
      }
      return;
    }
    await this.prisma.notificationThresholdState.updateMany({
      where: { thresholdId, upsId, active: was.active, episode: was.episode },
      data: next,
    });
  }
}

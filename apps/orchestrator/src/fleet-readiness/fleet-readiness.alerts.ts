import { Inject, Injectable } from '@nestjs/common';

import { APP_CONFIG, AppConfig } from '@nutfleet/config';
import { PrismaService, rowVersions } from '@nutfleet/db';
import { detectReadinessCrossings, nextStaleAt, type ReadinessCrossing } from '@nutfleet/power';

import { type NotificationDraft } from '../notifications/notification-events';
import { OrchestratorPlanStore } from '../plan-store/plan-store.module';
import { FleetReadinessService, type FleetReadinessView } from './fleet-readiness.service';

export const FLEET_SUBJECT = 'fleet';
export const hostSubject = (hostId: string): string => `host:${hostId}`;

/** Every table a pass reads: results, hosts and groups (scores, names), and the alert rows. */
const ALERT_INPUT_TABLES = ['FleetReadinessCheck', 'Host', 'HostGroup', 'FleetReadinessAlert'];

/**
 * Notifies when a host or the fleet drops below the readiness threshold, once per crossing, and
 * when it comes back. The subjects below the threshold are rows of FleetReadinessAlert: the
 * replica whose insert (drop) or delete (recovery) takes effect is the one that notifies, so
 * several replicas and restarts never repeat a notification.
 */
@Injectable()
export class FleetReadinessAlerts {
  /** What the last complete pass judged: the rows' versions, and when a result turns stale. */
  private lastPass: { readonly version: string; readonly validUntil: number | undefined } | undefined;

  public constructor(
    private readonly prisma: PrismaService,
    private readonly readiness: FleetReadinessService,
    private readonly plans: OrchestratorPlanStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  public async evaluate(send: (draft: NotificationDraft) => Promise<void>, now = Date.now()): Promise<void> {
    // Checks switched off: their results only age, which says nothing about the hosts.
    if (!this.config.fleetReadiness.enabled) return;
    // Nor are they run while an outage is open (FleetReadinessScheduler), and scoring reads every
    // result row (11 per host) every pass: CPU the outage's shutdown needs.
    if ((await this.plans.outages.current()) !== null) return;
    // Scores change only when a row they come from changes or a result turns stale: a pass that
    // finds neither skips reading every result row (11 per host, every dispatch interval).
    const version = await rowVersions(this.prisma.pool, ALERT_INPUT_TABLES);
    const last = this.lastPass;
    if (last !== undefined && last.version === version && (last.validUntil === undefined || now < last.validUntil))
      return;
    const view = await this.readiness.current(now);
    const scores = new Map<string, number | null>([[FLEET_SUBJECT, view.score]]);
    for (const host of view.hosts) scores.set(hostSubject(host.hostId), host.score);
    const below = await this.prisma.fleetReadinessAlert.findMany();
    const { crossings } = detectReadinessCrossings({
      scores,
      previouslyBelow: new Set(below.map((b) => b.subject)),
      threshold: this.config.fleetReadiness.alertThreshold,
    });
    const sinceOf = new Map(below.map((b) => [b.subject, b.since]));
    // Rows of subjects that vanished (a host deleted) are dropped without a notification.
    const gone = below.map((b) => b.subject).filter((s) => !scores.has(s));
    if (gone.length > 0) await this.prisma.fleetReadinessAlert.deleteMany({ where: { subject: { in: gone } } });
    for (const crossing of crossings) {
      if (crossing.direction === 'dropped') {
        const since = new Date(now);
        const { count } = await this.prisma.fleetReadinessAlert.createMany({
          data: [{ subject: crossing.subject, score: crossing.score, since }],
          skipDuplicates: true,
        });
        if (count === 1) await send(readinessDraft(crossing, view, since, this.config.fleetReadiness.alertThreshold));
      } else {
        const { count } = await this.prisma.fleetReadinessAlert.deleteMany({ where: { subject: crossing.subject } });
        const since = sinceOf.get(crossing.subject) ?? new Date(now);
        if (count === 1) await send(readinessDraft(crossing, view, since, this.config.fleetReadiness.alertThreshold));
      }
    }
    this.lastPass = {
      version,
      validUntil: nextStaleAt(view.hosts, { now, staleAfterSeconds: this.readiness.staleAfterSeconds }),
    };
  }
}

/** The message: who, the score, and the failing checks with what they saw. */
export function readinessDraft(
  crossing: ReadinessCrossing,
  view: FleetReadinessView,
  since: Date,
  threshold: number,
): NotificationDraft {
  const hostId = crossing.subject.startsWith('host:') ? crossing.subject.slice('host:'.length) : null;
  const who = hostId === null ? 'The fleet' : `Host ${view.hostNames.get(hostId) ?? hostId}`;
  const failing =
    hostId === null
      ? view.hosts
          .filter((h) => h.score !== null && h.score < threshold)
          .map((h) => view.hostNames.get(h.hostId) ?? h.hostId)
      : (view.hosts.find((h) => h.hostId === hostId)?.checks ?? [])
          .filter((c) => !c.ok)
          .map((c) => `${c.code}: ${c.message}`);
  const dropped = crossing.direction === 'dropped';
  return {
    dedupKey: `readiness:${crossing.subject}:${since.getTime()}:${crossing.direction}`,
    message: {
      eventType: dropped ? 'readiness.dropped' : 'readiness.recovered',
      severity: dropped ? 'WARNING' : 'INFO',
      title: dropped
        ? `${who} is not ready for the next outage (readiness ${crossing.score} %)`
        : `${who} is ready again (readiness ${crossing.score} %)`,
      text: dropped
        ? `Readiness dropped below ${threshold} %: the next outage may not go as planned. ${
            hostId === null ? 'Hosts below the threshold' : 'Failing checks'
          }: ${failing.join('; ') || 'none listed'}.`
        : `Readiness is back at or above ${threshold} %.`,
      fields: [
        { label: 'Readiness', value: `${crossing.score} %` },
        { label: 'Threshold', value: `${threshold} %` },
        ...(dropped && failing.length > 0
          ? [{ label: hostId === null ? 'Hosts below' : 'Failing checks', value: failing.join('\n') }]
          : []),
      ],
      at: new Date().toISOString(),
      refs: hostId === null ? {} : { hostId },
    },
  };
}

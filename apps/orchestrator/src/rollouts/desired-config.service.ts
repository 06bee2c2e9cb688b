import { Inject, Injectable } from '@nestjs/common';

import { APP_CONFIG, AppConfig } from '@nutfleet/config';
import { openSecret, PrismaService } from '@nutfleet/db';
import { buildShutdownPlan, type ShutdownPolicy } from '@nutfleet/power';
import {
  boundedShutdownDeadlines,
  buildDesiredUserVars,
  describeShutdownDeadline,
  type HostPowerFeed,
  type HostShutdownDeadline,
  type NutUserVars,
  type UserVarProblem,
  type UserVarReasons,
} from '@nutfleet/vib';

import { FleetSnapshotLoader } from '../plans/fleet-snapshot.loader';
import { VibMailSettingsService } from '../vib-mail/vib-mail.service';

/** NutClient version used for ranges when neither an artifact nor the host says (newest options). */
export const NEWEST_VIB_VERSION = '99.0.0-99.0.0';

export type HostDesiredConfig =
  | {
      readonly hostId: string;
      readonly hostName: string;
      readonly ok: true;
      readonly vibVersion: string;
      /** Holds the decrypted NutPassword: never return or store as is (see `redactUserVars`). */
      readonly userVars: NutUserVars;
      /** NutServer whose monitoring password is NutPassword. */
      readonly passwordFrom: string | null;
      /** Why each value is what it is. */
      readonly reasons: UserVarReasons;
      readonly plannedShutdownDeadlineSeconds: number;
      /** What the deadline is counted over, and the sentence that says it. */
      readonly deadline: HostShutdownDeadline & { readonly explanation: string };
      readonly timing: { readonly finalDelaySeconds: number; readonly onBatteryDelaySeconds: number };
      readonly warnings: readonly string[];
    }
  | {
      readonly hostId: string;
      readonly hostName: string;
      readonly ok: false;
      readonly vibVersion: string;
      readonly problems: readonly UserVarProblem[];
    };

/** The values without NutPassword (stored in step details) . */
export function withoutPassword(userVars: NutUserVars): Omit<NutUserVars, 'NutPassword'> {
  const { NutPassword: _secret, ...rest } = userVars;
  return rest;
}

/** For API responses: NutPassword shown as "***" when set. */
export function redactUserVars(userVars: NutUserVars): Record<string, string | number> {
  const out: Record<string, string | number> = { ...withoutPassword(userVars) };
  if (userVars.NutPassword !== undefined) out['NutPassword'] = '***';
  return out;
}

/**
 * Each host's desired `UserVars.Nut*` from the inventory: its feeds → UPS → NUT server (monitoring
 * credentials opened here, in memory only), minSupplies, its policy (or its group's, or the
 * default), its mail settings (its group's override, else the fleet default) and the deadline of
 * its power-off in nutfleet's plan for an outage of its own UPSes
 * (`boundedShutdownDeadlines`), so the host's own client only acts after nutfleet's plan would be
 * done — and a host added elsewhere in the fleet never changes it. Each value comes with its reason.
 */
@Injectable()
export class DesiredConfigService {
  private readonly keys: readonly Buffer[];

  public constructor(
    private readonly prisma: PrismaService,
    private readonly snapshots: FleetSnapshotLoader,
    private readonly mailSettings: VibMailSettingsService,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.keys = config.oldSecretKey ? [config.secretKey, config.oldSecretKey] : [config.secretKey];
  }

  /** `vibVersion(hostVersion)` picks the version whose options and ranges apply. */
  public async forHosts(
    hostIds: readonly string[],
    vibVersion: (installed: string | null) => string,
  ): Promise<HostDesiredConfig[]> {
    if (hostIds.length === 0) return [];
    const { snapshot, deadlines, powerOffs, upsNames } = await this.boundedDeadlines([]);
    const policies = new Map(snapshot.policies.map((p) => [p.id, p]));
    const inventory = new Map(snapshot.hosts.map((h) => [h.id, h]));
    const rows = await this.prisma.host.findMany({
      where: { id: { in: [...hostIds] } },
      select: {
        id: true,
        name: true,
        minSupplies: true,
        vibVersion: true,
        groupId: true,
        adoptedFinalDelaySeconds: true,
        adoptedOnBatteryDelaySeconds: true,
        feeds: {
          select: {
            powerValue: true,
            ups: {
              select: {
                name: true,
                nutServer: {
                  select: { id: true, name: true, host: true, port: true, username: true, passwordEnc: true },
                },
              },
            },
          },
          orderBy: { createdAt: 'asc' },
        },
      },
      orderBy: { name: 'asc' },
    });
    const mail = await this.mailSettings.forHosts(rows);
    return rows.map((row) => {
      const version = vibVersion(row.vibVersion);
      const feeds: HostPowerFeed[] = row.feeds.map((f) => {
        const s = f.ups.nutServer;
        return {
          upsName: f.ups.name,
          powerValue: f.powerValue,
          nutServer: {
            name: s.name,
            host: s.host,
            port: s.port,
            credentials:
              s.username !== null && s.passwordEnc !== null
                ? { username: s.username, password: openSecret(s.passwordEnc, this.keys, `nutServer:${s.id}:password`) }
                : undefined,
          },
        };
      });
      const policy = policies.get(inventory.get(row.id)?.policyId ?? snapshot.defaultPolicyId);
      if (policy === undefined) throw new Error(`host ${row.name}: its policy is missing from the snapshot`);
      const bounded = deadlines.get(row.id);
      const hostMail = mail.get(row.id) ?? {};
      const deadline = bounded?.deadlineSeconds ?? 0;
      const explanation = bounded ? describeShutdownDeadline(bounded, (id) => upsNames.get(id) ?? id) : `${deadline} s`;
      const result = buildDesiredUserVars({
        vibVersion: version,
        hostName: row.name,
        minSupplies: row.minSupplies,
        feeds,
        policy,
        plannedShutdownDeadlineSeconds: deadline,
        plannedShutdownDeadlineWhy: explanation,
        ...(row.adoptedFinalDelaySeconds === null && row.adoptedOnBatteryDelaySeconds === null
          ? {}
          : {
              adopted: {
                finalDelaySeconds: row.adoptedFinalDelaySeconds,
                onBatteryDelaySeconds: row.adoptedOnBatteryDelaySeconds,
              },
            }),
        ...(hostMail.mail ? { mail: hostMail.mail } : {}),
        ...(hostMail.offWhy ? { mailOffWhy: hostMail.offWhy } : {}),
      });
      if (!result.ok)
        return { hostId: row.id, hostName: row.name, ok: false, vibVersion: version, problems: result.problems };
      const passwordFrom = row.feeds.map((f) => f.ups.nutServer).find((s) => s.passwordEnc !== null)?.id ?? null;
      return {
        hostId: row.id,
        hostName: row.name,
        ok: true,
        vibVersion: version,
        userVars: result.userVars,
        passwordFrom,
        reasons: result.reasons,
        plannedShutdownDeadlineSeconds: deadline,
        deadline: { ...(bounded ?? emptyDeadline(row.id)), explanation },
        timing: {
          finalDelaySeconds: result.timing.finalDelaySeconds,
          onBatteryDelaySeconds: result.timing.onBatteryDelaySeconds,
        },
        warnings: [
          ...result.warnings,
          ...sharedOutageWarning(row.name, deadline, powerOffs.get(row.id)?.deadlineOffsetSeconds),
        ],
      };
    });
  }
  /**
   * Each host's policy and power-off deadline as they would be with `extraFeeds` added (feeds not
   * created yet, e.g. the ones an adoption proposes; `upsKey` names their UPS): what the desired
   * NutFinalDelay / NutOnBatteryDelay would be computed from.
   */
  public async deadlinesWith(
    hostIds: readonly string[],
    extraFeeds: readonly { hostId: string; upsKey: string }[],
  ): Promise<Map<string, { policy: ShutdownPolicy; deadlineSeconds: number; explanation: string; hostName: string }>> {
    const { snapshot, deadlines, upsNames } = await this.boundedDeadlines(extraFeeds);
    const policies = new Map(snapshot.policies.map((p) => [p.id, p]));
    const out = new Map<
      string,
      { policy: ShutdownPolicy; deadlineSeconds: number; explanation: string; hostName: string }
    >();
    for (const host of snapshot.hosts) {
      if (!hostIds.includes(host.id)) continue;
      const policy = policies.get(host.policyId ?? snapshot.defaultPolicyId);
      const bounded = deadlines.get(host.id);
      if (policy === undefined || bounded === undefined) continue;
      out.set(host.id, {
        policy,
        hostName: host.name,
        deadlineSeconds: bounded.deadlineSeconds,
        explanation: describeShutdownDeadline(bounded, (id) => upsNames.get(id) ?? id),
      });
    }
    return out;
  }

  /** Every host's deadline in an outage of its own UPSes (`boundedShutdownDeadlines`). */
  private async boundedDeadlines(extraFeeds: readonly { hostId: string; upsKey: string }[]) {
    const snapshot = await this.snapshots.load();
    // Every host in one outage: each host's own steps (its stage's start subtracted), and where a
    // fleet-wide outage would reach it, for the warning below.
    const plan = buildShutdownPlan({
      planKey: 'desired-config',
      // Deadlines as if every host were up: a host off now still needs its settings for the next outage.
      hosts: snapshot.hosts.map((h) => ({ ...h, powerState: 'on' as const })),
      feeds: snapshot.feeds,
      policies: snapshot.policies,
      histories: [],
      now: snapshot.now,
    });
    const powerOffs = new Map(plan.steps.filter((s) => s.kind === 'host-power-off').map((s) => [s.hostId, s]));
    const stageStarts = new Map(plan.stages.map((s) => [s.stage, s.startOffsetSeconds]));
    const upsIdsOf = new Map<string, string[]>();
    const feeds = [
      ...snapshot.feeds.filter((f) => f.powerValue > 0).map((f) => ({ hostId: f.hostId, upsId: f.upsId })),
      ...extraFeeds.map((f) => ({ hostId: f.hostId, upsId: f.upsKey })),
    ];
    for (const feed of feeds) upsIdsOf.set(feed.hostId, [...(upsIdsOf.get(feed.hostId) ?? []), feed.upsId]);
    const deadlines = boundedShutdownDeadlines(
      snapshot.hosts.map((h) => {
        const step = powerOffs.get(h.id);
        return {
          id: h.id,
          name: h.name,
          stage: h.shutdownStage,
          upsIds: upsIdsOf.get(h.id) ?? [],
          // Its own steps: its power-off deadline minus its stage's start.
          ownSeconds: step ? step.deadlineOffsetSeconds - (stageStarts.get(step.stage) ?? 0) : 0,
        };
      }),
    );
    const upsNames = new Map(
      (await this.prisma.ups.findMany({ select: { id: true, name: true, nutServer: { select: { name: true } } } })).map(
        (u) => [u.id, `${u.name}@${u.nutServer.name}`],
      ),
    );
    return { snapshot, deadlines, powerOffs, upsNames };
  }
}

function emptyDeadline(hostId: string): HostShutdownDeadline {
  return { hostId, deadlineSeconds: 0, stage: 0, ownSeconds: 0, upsIds: [], earlierStages: [] };
}

/**
 * Stages are fleet-wide in a plan: if UPSes that do not feed this host fail at the same moment as
 * its own, slower hosts of earlier stages on them delay it beyond the deadline its client waits for.
 */
function sharedOutageWarning(name: string, bounded: number, fleetWide: number | undefined): string[] {
  if (fleetWide === undefined || fleetWide <= bounded) return [];
  return [
    `if every UPS failed at once, nutfleet's plan would reach ${name} at ${fleetWide} s instead of ${bounded} s ` +
      '(earlier stages also hold slower hosts on other UPSes): its own client could then act before nutfleet',
  ];
}

import { Inject, Injectable } from '@nestjs/common';

import { APP_CONFIG, AppConfig } from '@nutfleet/config';
import { openSecret, PrismaService } from '@nutfleet/db';
import { buildShutdownPlan } from '@nutfleet/power';
import { buildDesiredUserVars, type HostPowerFeed, type NutUserVars, type UserVarProblem } from '@nutfleet/vib';

import { FleetSnapshotLoader } from '../plans/fleet-snapshot.loader';

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
      readonly plannedShutdownDeadlineSeconds: number;
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
 * default) and the deadline of its power-off in a worst-case shutdown of the whole fleet
 * (`buildShutdownPlan`), so the host's own client only acts after nutfleet's plan would be done.
 */
@Injectable()
export class DesiredConfigService {
  private readonly keys: readonly Buffer[];

  public constructor(
    private readonly prisma: PrismaService,
    private readonly snapshots: FleetSnapshotLoader,
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
    const snapshot = await this.snapshots.load();
    // Worst case: every host of the fleet in one outage, no battery history (deadlines do not depend on it).
    const plan = buildShutdownPlan({
      planKey: 'desired-config',
      // Deadlines as if every host were up: a host off now still needs its settings for the next outage.
      hosts: snapshot.hosts.map((h) => ({ ...h, powerState: 'on' as const })),
      feeds: snapshot.feeds,
      policies: snapshot.policies,
      histories: [],
      now: snapshot.now,
    });
    const deadlines = new Map(
      plan.steps.filter((s) => s.kind === 'host-power-off').map((s) => [s.hostId, s.deadlineOffsetSeconds]),
    );
    const policies = new Map(snapshot.policies.map((p) => [p.id, p]));
    const inventory = new Map(snapshot.hosts.map((h) => [h.id, h]));
    const rows = await this.prisma.host.findMany({
      where: { id: { in: [...hostIds] } },
      select: {
        id: true,
        name: true,
        minSupplies: true,
        vibVersion: true,
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
      const deadline = deadlines.get(row.id) ?? 0;
      const result = buildDesiredUserVars({
        vibVersion: version,
        hostName: row.name,
        minSupplies: row.minSupplies,
        feeds,
        policy,
        plannedShutdownDeadlineSeconds: deadline,
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
        plannedShutdownDeadlineSeconds: deadline,
        timing: {
          finalDelaySeconds: result.timing.finalDelaySeconds,
          onBatteryDelaySeconds: result.timing.onBatteryDelaySeconds,
        },
        warnings: result.warnings,
      };
    });
  }
}

import { Injectable } from '@nestjs/common';

import { PrismaService } from '@nutfleet/db';
import {
  assessHostProtection,
  buildShutdownPlan,
  type FallbackClientState,
  type HostProtectionWarning,
  type HostRuntimeCheck,
  type ShutdownPlan,
} from '@nutfleet/power';

import { type FleetSnapshot, FleetSnapshotLoader } from '../plans/fleet-snapshot.loader';
import { DriftService } from '../rollouts/drift.service';
import { type HostDrift } from '../rollouts/host-drift';
import {
  type HostProtectionRow,
  HostProtectionLoader,
  isDiscovered,
  unreachableReason,
} from './host-protection.loader';

/**
 * Which hosts nutfleet could not protect now, and why (`assessHostProtection` over what the
 * database knows): the shutdown preview and dry-run ask for the hosts of their plan, the fleet
 * summary for the whole fleet as a fleet-wide outage would find it.
 */
@Injectable()
export class HostProtectionService {
  public constructor(
    private readonly loader: HostProtectionLoader,
    private readonly drift: DriftService,
    private readonly snapshots: FleetSnapshotLoader,
    private readonly prisma: PrismaService,
  ) {}

  /** The hosts of `plan` (built from `snapshot`), judged against its battery checks. */
  public async forPlan(
    hostIds: readonly string[],
    plan: ShutdownPlan,
    snapshot: FleetSnapshot,
  ): Promise<HostProtectionWarning[]> {
    if (hostIds.length === 0) return [];
    return this.assess(await this.loader.load(hostIds), plan, snapshot);
  }

  /** Every host, as a shutdown of the whole fleet would take them. */
  public async forFleet(): Promise<HostProtectionWarning[]> {
    const [rows, snapshot] = await Promise.all([this.loader.load(), this.snapshots.load()]);
    if (rows.length === 0) return [];
    const plan = buildShutdownPlan({
      planKey: 'protection',
      hosts: snapshot.hosts,
      feeds: snapshot.feeds,
      policies: snapshot.policies,
      histories: snapshot.histories,
      now: snapshot.now,
    });
    return this.assess(rows, plan, snapshot);
  }

  private async assess(
    rows: readonly HostProtectionRow[],
    plan: ShutdownPlan,
    snapshot: FleetSnapshot,
  ): Promise<HostProtectionWarning[]> {
    const discovered = rows.filter(isDiscovered);
    // No artifact: any installed version is a fallback; what matters is that it is set as planned.
    const drifts = new Map(
      (
        await this.drift.drift(
          discovered.map((r) => r.id),
          null,
        )
      ).map((d) => [d.hostId, d]),
    );
    const upsNames = new Map(
      (await this.prisma.ups.findMany({ select: { id: true, name: true, nutServer: { select: { name: true } } } })).map(
        (u) => [u.id, `${u.name}@${u.nutServer.name}`],
      ),
    );
    const inventory = new Map(snapshot.hosts.map((h) => [h.id, h]));
    const policies = new Map(snapshot.policies.map((p) => [p.id, p]));
    const checks = new Map<string, HostRuntimeCheck>(plan.hostChecks.map((c) => [c.hostId, c]));
    return rows.flatMap((row) => {
      const host = inventory.get(row.id);
      const policy = policies.get(host?.policyId ?? snapshot.defaultPolicyId);
      const unreachable = unreachableReason(row);
      const check = checks.get(row.id);
      const limitingUpsName = check?.limitingUpsId === undefined ? undefined : upsNames.get(check.limitingUpsId);
      return assessHostProtection(
        {
          hostId: row.id,
          hostName: row.name,
          trust: row.trustState === 'TRUSTED' ? 'trusted' : row.trustState === 'MISMATCH' ? 'mismatch' : 'untrusted',
          hasCredentials: row.hasCredentials,
          poweredOff: row.powerState === 'OFF',
          supplyingFeeds: row.supplyingFeeds,
          macAddresses: row.macAddresses,
          ...(unreachable !== undefined ? { unreachable } : {}),
          ...(isDiscovered(row)
            ? {
                discovery: {
                  at: row.discoveredAt ?? '',
                  vms:
                    row.vmsRead?.state === 'failed'
                      ? { unknown: `${row.vmsRead.error.code}: ${row.vmsRead.error.message}` }
                      : (host?.vms ?? []),
                  fallbackClient: fallbackClientOf(row, drifts.get(row.id)),
                },
              }
            : {}),
        },
        {
          vmWithoutTools: policy?.vm.withoutTools ?? 'power-off',
          ...(check !== undefined ? { runtimeCheck: check } : {}),
          ...(limitingUpsName !== undefined ? { limitingUpsName } : {}),
        },
      );
    });
  }
}

function fallbackClientOf(row: HostProtectionRow, drift: HostDrift | undefined): FallbackClientState {
  if (row.vibInstalled === false) return { state: 'not-installed' };
  if (drift === undefined) return { state: 'drifted', reasons: ['its drift could not be computed'] };
  if (drift.problems.length > 0) return { state: 'unconfigurable', problems: drift.problems };
  return drift.drifted ? { state: 'drifted', reasons: drift.reasons } : { state: 'in-sync' };
}

/** Hosts with at least one warning. */
export function unprotectedCount(warnings: readonly HostProtectionWarning[]): number {
  return new Set(warnings.map((w) => w.hostId)).size;
}

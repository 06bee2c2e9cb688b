import { Inject, Injectable } from '@nestjs/common';

import { APP_CONFIG, AppConfig } from '@nutfleet/config';
import { PrismaService } from '@nutfleet/db';
import {
  buildShutdownPlan,
  fsdClearCheck,
  nutLoginCheck,
  type ReadinessCheckResult,
  runtimeMarginCheck,
  withMeasuredDurations,
  wolMacCheck,
  wolProvenCheck,
} from '@nutfleet/power';
import { type HostReadinessExpectations } from '@nutfleet/queue';

import { OrchestratorPlanStore } from '../plan-store/plan-store.module';
import { FleetSnapshotLoader } from '../plans/fleet-snapshot.loader';
import { MeasuredDurationsLoader } from '../plans/measured-durations.loader';
import { DesiredConfigService, NEWEST_VIB_VERSION, withoutPassword } from '../rollouts/desired-config.service';
import { NutServerReadiness } from './nut-server-readiness';

export interface ReadinessInputs {
  /** For the worker's SSH checks. */
  readonly expectations: readonly HostReadinessExpectations[];
  /** The checks that need no SSH (WOL_MAC, WOL_PROVEN, RUNTIME_MARGIN, NUT_LOGIN, FSD_CLEAR), judged now. */
  readonly results: ReadonlyMap<string, readonly ReadinessCheckResult[]>;
}

/**
 * Everything a readiness check of some hosts compares with, from the same sources an outage
 * would use: the desired UserVars (DesiredConfigService), the shutdown plan an outage of the
 * whole fleet would get now (its guest shutdowns, its predicted end per host against the battery
 * runtime of the host's supplies), the restart plans that woke each host (libs/plan's store), and
 * its NUT servers.
 */
@Injectable()
export class ReadinessInputsLoader {
  public constructor(
    private readonly prisma: PrismaService,
    private readonly snapshots: FleetSnapshotLoader,
    private readonly desired: DesiredConfigService,
    private readonly nutServers: NutServerReadiness,
    private readonly plans: OrchestratorPlanStore,
    private readonly measurements: MeasuredDurationsLoader,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  public async load(hostIds: readonly string[], now = Date.now()): Promise<ReadinessInputs> {
    if (hostIds.length === 0) return { expectations: [], results: new Map() };
    const [snapshot, configs, hosts, woken] = await Promise.all([
      this.snapshots.load(now),
      this.desired.forHosts(hostIds, (installed) => installed ?? NEWEST_VIB_VERSION),
      this.prisma.host.findMany({
        where: { id: { in: [...hostIds] } },
        select: {
          id: true,
          macAddresses: true,
          feeds: {
            select: {
              powerValue: true,
              ups: { select: { name: true, status: true, nutServerId: true } },
            },
          },
        },
      }),
      this.plans.reads.lastWokenAt(hostIds),
    ]);
    // As if every host were up: a host off now must still be ready for the next outage. Its
    // predictions come from what earlier armed plans measured, as the outage's own plan would.
    const measured = await this.measurements.load(snapshot.hosts.map((h) => h.id));
    const plan = buildShutdownPlan({
      planKey: 'fleet-readiness',
      hosts: withMeasuredDurations(
        snapshot.hosts.map((h) => ({ ...h, powerState: 'on' as const })),
        measured,
      ),
      feeds: snapshot.feeds,
      policies: snapshot.policies,
      histories: snapshot.histories,
      now,
    });
    const runtimeChecks = new Map(plan.hostChecks.map((c) => [c.hostId, c]));
    const guestShutdowns = new Map<string, string[]>();
    for (const step of plan.steps)
      if (step.kind === 'vm-stop' && step.ladder[0]?.action === 'guest-shutdown' && step.vmName !== undefined)
        guestShutdowns.set(step.hostId, [...(guestShutdowns.get(step.hostId) ?? []), step.vmName]);

    const servers = await this.nutServers.check(
      hosts.flatMap((h) => h.feeds.map((f) => f.ups.nutServerId)),
      now,
    );
    const configsById = new Map(configs.map((c) => [c.hostId, c]));
    const { runtimeMarginRatio, wolMaxAgeSeconds } = this.config.fleetReadiness;

    const expectations: HostReadinessExpectations[] = [];
    const results = new Map<string, ReadinessCheckResult[]>();
    for (const host of hosts) {
      const config = configsById.get(host.id);
      const userVars = config?.ok ? config.userVars : null;
      expectations.push({
        hostId: host.id,
        desiredUserVars: userVars ? { ...withoutPassword(userVars) } : null,
        ...(config && !config.ok ? { desiredProblems: config.problems.map((p) => `${p.field}: ${p.message}`) } : {}),
        passwordExpected: userVars?.NutPassword !== undefined,
        upsTargets: (userVars?.NutUpsName ?? '').split(/\s+/).filter((s) => s !== ''),
        guestShutdownVms: guestShutdowns.get(host.id) ?? [],
        // The restart plan powers on the VMs that ran wherever ESXi autostart would not.
        planPowersOnVms: true,
      });
      const runtime = runtimeChecks.get(host.id);
      const hostServers = [...new Set(host.feeds.map((f) => f.ups.nutServerId))].flatMap((id) => {
        const reach = servers.get(id);
        if (reach === undefined) return [];
        const fsdUpses = host.feeds
          .filter((f) => f.ups.nutServerId === id && (f.ups.status ?? '').split(/\s+/).includes('FSD'))
          .map((f) => f.ups.name);
        return [{ ...reach, fsdUpses }];
      });
      results.set(host.id, [
        wolMacCheck(host.macAddresses, now),
        wolProvenCheck(woken.get(host.id)?.getTime() ?? null, wolMaxAgeSeconds, now),
        runtimeMarginCheck(
          {
            predictedShutdownSeconds: runtime?.predictedEndSeconds ?? 0,
            runtimeSeconds: runtime?.batteryRuntimeSeconds ?? null,
            marginRatio: runtimeMarginRatio,
          },
          now,
        ),
        nutLoginCheck(hostServers, now),
        fsdClearCheck(hostServers, now),
      ]);
    }
    return { expectations, results };
  }
}

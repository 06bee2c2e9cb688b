import { Inject, Injectable } from '@nestjs/common';

import { APP_CONFIG, AppConfig } from '@nutfleet/config';
import { PrismaService } from '@nutfleet/db';
import { type FleetReadiness, isReadinessCheckCode, type ReadinessCheckResult, scoreFleet } from '@nutfleet/power';

export interface FleetReadinessView extends FleetReadiness {
  /** Host id → name, group id → name: for the API, the dashboard and notifications. */
  readonly hostNames: ReadonlyMap<string, string>;
  readonly groupNames: ReadonlyMap<string, string>;
}

/**
 * The fleet's readiness now, from the stored results: one read of hosts, groups and checks,
 * scored by libs/power. A result older than three intervals counts as failing (the checks
 * stopped running for it).
 */
@Injectable()
export class FleetReadinessService {
  public constructor(
    private readonly prisma: PrismaService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  public get staleAfterSeconds(): number {
    return Math.ceil((3 * this.config.fleetReadiness.intervalMs) / 1000);
  }

  public async current(now = Date.now()): Promise<FleetReadinessView> {
    const [hosts, groups, checks] = await Promise.all([
      this.prisma.host.findMany({ select: { id: true, name: true, groupId: true } }),
      this.prisma.hostGroup.findMany({ select: { id: true, name: true } }),
      this.prisma.fleetReadinessCheck.findMany(),
    ]);
    const byHost = new Map<string, ReadinessCheckResult[]>();
    for (const c of checks) {
      if (!isReadinessCheckCode(c.code)) continue;
      const list = byHost.get(c.hostId) ?? [];
      list.push({ code: c.code, ok: c.ok, message: c.message, checkedAt: c.checkedAt.getTime() });
      byHost.set(c.hostId, list);
    }
    const fleet = scoreFleet(
      hosts.map((h) => ({ hostId: h.id, groupId: h.groupId, checks: byHost.get(h.id) ?? [] })),
      { now, staleAfterSeconds: this.staleAfterSeconds },
    );
    return {
      ...fleet,
      hostNames: new Map(hosts.map((h) => [h.id, h.name])),
      groupNames: new Map(groups.map((g) => [g.id, g.name])),
    };
  }
}

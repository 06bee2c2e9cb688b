import { Injectable } from '@nestjs/common';

import { type Artifact, PrismaService } from '@nutfleet/db';

import { DesiredConfigService, NEWEST_VIB_VERSION } from './desired-config.service';
import { type HostDrift, hostDrift } from './host-drift';

/** Drift of a set of hosts against the inventory (and an artifact's version when given). */
@Injectable()
export class DriftService {
  public constructor(
    private readonly prisma: PrismaService,
    private readonly desired: DesiredConfigService,
  ) {}

  /** The artifact drift is judged against by default: the newest upload. */
  public latestArtifact(): Promise<Artifact | null> {
    return this.prisma.artifact.findFirst({ orderBy: { createdAt: 'desc' } });
  }

  public async drift(hostIds: readonly string[], artifact: Pick<Artifact, 'version'> | null): Promise<HostDrift[]> {
    const configs = await this.desired.forHosts(
      hostIds,
      (installed) => artifact?.version ?? installed ?? NEWEST_VIB_VERSION,
    );
    const facts = new Map(
      (await this.prisma.host.findMany({ where: { id: { in: [...hostIds] } }, select: { id: true, facts: true } })).map(
        (h) => [h.id, h.facts],
      ),
    );
    return configs.map((c) => hostDrift(facts.get(c.hostId), c, artifact?.version ?? null));
  }
}

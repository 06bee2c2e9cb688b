import { Injectable } from '@nestjs/common';

import { type Prisma, PrismaService, withVerifiedNutClient } from '@nutfleet/db';
import { type DeployObservation } from '@nutfleet/vib';

import { nutClientFacts } from '../discovery/host-facts.mapper';

/**
 * Puts what a rollout verified on a host — its NutClient VIB and UserVars.Nut*, read back at the
 * end of the deploy — into the inventory at once: Host.vibVersion and the VIB and UserVars facts
 * (marked as read by the rollout), so the fleet and drift reflect the rollout without another
 * discovery. The row is locked, so a discovery recording at the same moment is not lost either.
 */
@Injectable()
export class VerifiedHostFactsRecorder {
  public constructor(private readonly prisma: PrismaService) {}

  public async record(hostId: string, observed: DeployObservation): Promise<void> {
    await this.prisma.$transaction(async (tx) => {
      const [current] = await tx.$queryRaw<Array<{ facts: unknown }>>`
        SELECT "facts" FROM "Host" WHERE "id" = ${hostId}::uuid FOR UPDATE`;
      if (current === undefined) return;
      // A host never discovered keeps no facts: the rollout alone cannot say what its VMs are.
      const facts = withVerifiedNutClient(current.facts, {
        nutClient: nutClientFacts(observed.vib ?? undefined),
        nutUserVars: observed.userVars,
        at: observed.at,
      });
      await tx.host.update({
        where: { id: hostId },
        data: {
          vibVersion: observed.vib?.version ?? null,
          ...(facts ? { facts: facts as unknown as Prisma.InputJsonObject } : {}),
        },
      });
    });
  }
}

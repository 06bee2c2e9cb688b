import { Global, Injectable, Module } from '@nestjs/common';

import { PrismaService } from '@nutfleet/db';
import { PlanStore } from '@nutfleet/plan';

/** The plan store on the orchestrator's database client (no step claims here: the worker runs steps). */
@Injectable()
export class OrchestratorPlanStore extends PlanStore {
  public constructor(prisma: PrismaService) {
    super(prisma);
  }
}

/** Global: plans, restarts, rollouts, artifacts, metrics and notifications all read or write plans. */
@Global()
@Module({ providers: [OrchestratorPlanStore], exports: [OrchestratorPlanStore] })
export class PlanStoreModule {}

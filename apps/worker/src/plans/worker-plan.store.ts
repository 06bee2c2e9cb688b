import { Injectable } from '@nestjs/common';

import { PrismaService } from '@nutfleet/db';
import { PlanStore, type StepExecutionStore } from '@nutfleet/plan';

import { HOST_ACCESS_COLUMNS, type HostAccessColumn } from '../hosts/host-connector';

/** The plan store as the worker uses it: a step claim returns the host's access row with the step. */
@Injectable()
export class WorkerPlanStore extends PlanStore<HostAccessColumn> {
  public constructor(prisma: PrismaService) {
    super(prisma, { hostColumns: HOST_ACCESS_COLUMNS });
  }
}

/** The statements a running step needs, for handlers and their fakes in tests. */
export type StepStore = StepExecutionStore<HostAccessColumn>;

/** The running step's statements (`WorkerPlanStore.execution`), injected by this token so tests can fake them. */
export const STEP_STORE = Symbol('STEP_STORE');

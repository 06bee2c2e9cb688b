import { Module } from '@nestjs/common';

import { STEP_STORE, WorkerPlanStore } from './worker-plan.store';

/** The plan store, shared by plan and rollout execution (one set of micro-batchers per process). */
@Module({
  providers: [
    WorkerPlanStore,
    { provide: STEP_STORE, useFactory: (store: WorkerPlanStore) => store.execution, inject: [WorkerPlanStore] },
  ],
  exports: [WorkerPlanStore, STEP_STORE],
})
export class PlanStoreModule {}

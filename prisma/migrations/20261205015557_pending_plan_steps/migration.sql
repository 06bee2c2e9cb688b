-- CreateTable
CREATE TABLE "PendingPlanSteps" (
    "planId" UUID NOT NULL,
    "steps" JSON NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PendingPlanSteps_pkey" PRIMARY KEY ("planId")
);

-- AddForeignKey
ALTER TABLE "PendingPlanSteps" ADD CONSTRAINT "PendingPlanSteps_planId_fkey" FOREIGN KEY ("planId") REFERENCES "Plan"("id") ON DELETE CASCADE ON UPDATE CASCADE;

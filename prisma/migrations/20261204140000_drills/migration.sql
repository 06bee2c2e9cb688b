-- CreateEnum
CREATE TYPE "DrillKind" AS ENUM ('REHEARSAL', 'LIVE');

-- CreateEnum
CREATE TYPE "DrillState" AS ENUM ('RUNNING', 'SUCCEEDED', 'FAILED', 'YIELDED');

-- CreateTable
CREATE TABLE "Drill" (
    "id" UUID NOT NULL,
    "kind" "DrillKind" NOT NULL,
    "state" "DrillState" NOT NULL DEFAULT 'RUNNING',
    "groupId" UUID,
    "groupName" TEXT NOT NULL,
    "hostIds" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "requestedBy" TEXT NOT NULL,
    "reason" TEXT,
    "shutdownPlanId" UUID,
    "restartPlanId" UUID,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" TIMESTAMP(3),
    "yieldedTo" UUID,
    "error" TEXT,
    "report" JSONB,

    CONSTRAINT "Drill_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Drill_state_idx" ON "Drill"("state");

-- CreateIndex
CREATE INDEX "Drill_createdAt_idx" ON "Drill"("createdAt");


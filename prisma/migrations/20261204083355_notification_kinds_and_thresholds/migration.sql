-- CreateEnum
CREATE TYPE "ThresholdMetric" AS ENUM ('LOAD', 'RUNTIME', 'CHARGE');

-- AlterEnum
-- This migration adds more than one value to an enum.
-- With PostgreSQL versions 11 and earlier, this is not possible
-- in a single migration. This can be worked around by creating
-- multiple migrations, each migration adding only one value to
-- the enum.


ALTER TYPE "NotificationChannelKind" ADD VALUE 'NTFY';
ALTER TYPE "NotificationChannelKind" ADD VALUE 'GOTIFY';
ALTER TYPE "NotificationChannelKind" ADD VALUE 'TEAMS';
ALTER TYPE "NotificationChannelKind" ADD VALUE 'DISCORD';

-- CreateTable
CREATE TABLE "NotificationThreshold" (
    "id" UUID NOT NULL,
    "upsId" UUID,
    "metric" "ThresholdMetric" NOT NULL,
    "value" DOUBLE PRECISION NOT NULL,
    "hysteresis" DOUBLE PRECISION NOT NULL,
    "severity" "NotificationSeverity" NOT NULL DEFAULT 'WARNING',
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "NotificationThreshold_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "NotificationThresholdState" (
    "thresholdId" UUID NOT NULL,
    "upsId" UUID NOT NULL,
    "active" BOOLEAN NOT NULL,
    "episode" INTEGER NOT NULL DEFAULT 0,
    "value" DOUBLE PRECISION,
    "since" TIMESTAMP(3) NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "NotificationThresholdState_pkey" PRIMARY KEY ("thresholdId","upsId")
);

-- CreateIndex
CREATE INDEX "NotificationThresholdState_upsId_idx" ON "NotificationThresholdState"("upsId");

-- AddForeignKey
ALTER TABLE "NotificationThreshold" ADD CONSTRAINT "NotificationThreshold_upsId_fkey" FOREIGN KEY ("upsId") REFERENCES "Ups"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "NotificationThresholdState" ADD CONSTRAINT "NotificationThresholdState_thresholdId_fkey" FOREIGN KEY ("thresholdId") REFERENCES "NotificationThreshold"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "NotificationThresholdState" ADD CONSTRAINT "NotificationThresholdState_upsId_fkey" FOREIGN KEY ("upsId") REFERENCES "Ups"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- CreateEnum
CREATE TYPE "HostPowerState" AS ENUM ('ON', 'OFF', 'UNREACHABLE', 'UNKNOWN');

-- CreateEnum
CREATE TYPE "OutageState" AS ENUM ('OPEN', 'SHEDDING', 'POWER_BACK', 'RESTARTING', 'CLOSED');

-- AlterTable
ALTER TABLE "Host" ADD COLUMN     "powerState" "HostPowerState" NOT NULL DEFAULT 'UNKNOWN',
ADD COLUMN     "powerStatePlanId" UUID,
ADD COLUMN     "powerStateSince" TIMESTAMP(3),
ADD COLUMN     "powerStateSource" TEXT,
ADD COLUMN     "wakeAfterOutage" BOOLEAN NOT NULL DEFAULT false;

-- AlterTable
ALTER TABLE "Policy" ADD COLUMN     "calibrationEmergencyChargePercent" INTEGER NOT NULL DEFAULT 5,
ADD COLUMN     "calibrationEmergencyRuntimeSeconds" INTEGER NOT NULL DEFAULT 60,
ADD COLUMN     "calibrationMaxSeconds" INTEGER NOT NULL DEFAULT 3600,
ADD COLUMN     "calibrationNoInputEndsExcuse" BOOLEAN NOT NULL DEFAULT true,
ADD COLUMN     "flapMaxOnsets" INTEGER NOT NULL DEFAULT 3,
ADD COLUMN     "flapOnBatteryBudgetSeconds" INTEGER,
ADD COLUMN     "flapWindowSeconds" INTEGER NOT NULL DEFAULT 600,
ADD COLUMN     "hostPowerOffTimeoutSecs" INTEGER NOT NULL DEFAULT 180,
ADD COLUMN     "isDefault" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "lowBatteryConfirmSeconds" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "offDurationSeconds" INTEGER DEFAULT 30,
ADD COLUMN     "powerBackConfirmSeconds" INTEGER NOT NULL DEFAULT 10,
ADD COLUMN     "vmPowerOffTimeoutSecs" INTEGER NOT NULL DEFAULT 30,
ADD COLUMN     "vmSuspendTimeoutSecs" INTEGER NOT NULL DEFAULT 120,
ADD COLUMN     "vmWithoutToolsAction" "VmFallbackAction" NOT NULL DEFAULT 'SUSPEND';

-- AlterTable
ALTER TABLE "Plan" ADD COLUMN     "outageId" UUID;

-- CreateTable
CREATE TABLE "Outage" (
    "id" UUID NOT NULL,
    "state" "OutageState" NOT NULL DEFAULT 'OPEN',
    "openedAt" TIMESTAMP(3) NOT NULL,
    "timersFrom" TIMESTAMP(3),
    "upsIds" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "powerBackAt" TIMESTAMP(3),
    "restartPlanId" UUID,
    "disarmedAt" TIMESTAMP(3),
    "disarmedBy" TEXT,
    "closedAt" TIMESTAMP(3),
    "closeReason" TEXT,
    "fencingToken" BIGINT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Outage_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "UpsSample" (
    "id" BIGSERIAL NOT NULL,
    "upsId" UUID NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,
    "status" TEXT,
    "charge" DOUBLE PRECISION,
    "runtimeSeconds" DOUBLE PRECISION,
    "load" DOUBLE PRECISION,
    "inputVoltage" DOUBLE PRECISION,

    CONSTRAINT "UpsSample_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Outage_state_idx" ON "Outage"("state");

-- CreateIndex
CREATE INDEX "Outage_openedAt_idx" ON "Outage"("openedAt");

-- CreateIndex
CREATE INDEX "UpsSample_upsId_at_idx" ON "UpsSample"("upsId", "at");

-- CreateIndex
CREATE INDEX "UpsSample_at_idx" ON "UpsSample"("at");

-- CreateIndex
CREATE INDEX "Host_powerState_idx" ON "Host"("powerState");

-- CreateIndex
CREATE INDEX "Plan_outageId_idx" ON "Plan"("outageId");

-- AddForeignKey
ALTER TABLE "Plan" ADD CONSTRAINT "Plan_outageId_fkey" FOREIGN KEY ("outageId") REFERENCES "Outage"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "UpsSample" ADD CONSTRAINT "UpsSample_upsId_fkey" FOREIGN KEY ("upsId") REFERENCES "Ups"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- One default policy: the row hosts without a policy follow (there was a built-in one besides
-- the seeded "default" row, and editing the row changed nothing for them). The seeded row
-- becomes the default, and a database without it gets the one the seed would have made.
UPDATE "Policy" SET "isDefault" = true WHERE "name" = 'default';
INSERT INTO "Policy" ("id", "name", "description", "isDefault", "onBatterySeconds", "updatedAt")
SELECT '00000000-0000-4000-8000-00000000c001', 'default',
       'Shut down on low battery or forced shutdown, or after 5 minutes on battery.', true, 300, CURRENT_TIMESTAMP
 WHERE NOT EXISTS (SELECT 1 FROM "Policy" WHERE "isDefault");

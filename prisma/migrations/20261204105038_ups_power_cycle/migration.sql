-- AlterTable
ALTER TABLE "NutServer" ADD COLUMN     "commandPasswordEnc" TEXT,
ADD COLUMN     "commandUsername" TEXT;

-- AlterTable
ALTER TABLE "Ups" ADD COLUMN     "feedsUnmanagedLoads" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "nutPrimaryHostSyncSeconds" INTEGER,
ADD COLUMN     "powerCycleAction" TEXT NOT NULL DEFAULT 'none',
ADD COLUMN     "powerCycleAllowUnmanaged" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "powerCycleChargeRestartPercent" INTEGER,
ADD COLUMN     "powerCycleOffDelaySeconds" INTEGER,
ADD COLUMN     "powerCycleOnDelaySeconds" INTEGER;

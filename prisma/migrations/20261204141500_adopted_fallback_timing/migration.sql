-- AlterTable
ALTER TABLE "Host" ADD COLUMN     "adoptedFinalDelaySeconds" INTEGER,
ADD COLUMN     "adoptedOnBatteryDelaySeconds" INTEGER;

-- AlterTable
ALTER TABLE "MonitorLeadership" ADD COLUMN     "leaseUntil" TIMESTAMP(3);

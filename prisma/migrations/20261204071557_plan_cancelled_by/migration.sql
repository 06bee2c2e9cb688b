-- AlterTable
ALTER TABLE "Plan" ADD COLUMN     "cancelledBy" TEXT;

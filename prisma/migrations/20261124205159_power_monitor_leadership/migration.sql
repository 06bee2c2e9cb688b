-- AlterTable
ALTER TABLE "Ups" ADD COLUMN     "commError" TEXT;

-- CreateTable
CREATE TABLE "MonitorLeadership" (
    "id" TEXT NOT NULL,
    "fencingToken" BIGINT NOT NULL,
    "holder" TEXT NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "MonitorLeadership_pkey" PRIMARY KEY ("id")
);

-- CreateEnum
CREATE TYPE "HostEventType" AS ENUM ('HOST_KEY_MISMATCH', 'HOST_KEY_TRUSTED');

-- CreateEnum
CREATE TYPE "DiscoveryState" AS ENUM ('PENDING', 'SUCCEEDED', 'FAILED');

-- AlterTable
ALTER TABLE "Host" ADD COLUMN     "presentedHostKeyAt" TIMESTAMP(3),
ADD COLUMN     "presentedHostKeyFingerprint" TEXT;

-- CreateTable
CREATE TABLE "HostEvent" (
    "id" BIGSERIAL NOT NULL,
    "hostId" UUID NOT NULL,
    "type" "HostEventType" NOT NULL,
    "message" TEXT NOT NULL,
    "data" JSONB,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "HostEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DiscoveryRun" (
    "id" UUID NOT NULL,
    "filter" JSONB,
    "total" INTEGER NOT NULL,
    "createdBy" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "DiscoveryRun_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DiscoveryRunHost" (
    "runId" UUID NOT NULL,
    "hostId" UUID NOT NULL,
    "state" "DiscoveryState" NOT NULL DEFAULT 'PENDING',
    "error" TEXT,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "DiscoveryRunHost_pkey" PRIMARY KEY ("runId","hostId")
);

-- CreateIndex
CREATE INDEX "HostEvent_hostId_at_idx" ON "HostEvent"("hostId", "at");

-- CreateIndex
CREATE INDEX "HostEvent_type_at_idx" ON "HostEvent"("type", "at");

-- CreateIndex
CREATE INDEX "DiscoveryRun_createdAt_idx" ON "DiscoveryRun"("createdAt");

-- CreateIndex
CREATE INDEX "DiscoveryRunHost_runId_state_idx" ON "DiscoveryRunHost"("runId", "state");

-- CreateIndex
CREATE INDEX "DiscoveryRunHost_hostId_state_idx" ON "DiscoveryRunHost"("hostId", "state");

-- AddForeignKey
ALTER TABLE "HostEvent" ADD CONSTRAINT "HostEvent_hostId_fkey" FOREIGN KEY ("hostId") REFERENCES "Host"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DiscoveryRunHost" ADD CONSTRAINT "DiscoveryRunHost_runId_fkey" FOREIGN KEY ("runId") REFERENCES "DiscoveryRun"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DiscoveryRunHost" ADD CONSTRAINT "DiscoveryRunHost_hostId_fkey" FOREIGN KEY ("hostId") REFERENCES "Host"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateEnum
CREATE TYPE "TlsMode" AS ENUM ('OFF', 'OPPORTUNISTIC', 'REQUIRED');

-- CreateEnum
CREATE TYPE "CommState" AS ENUM ('UNKNOWN', 'OK', 'LOST');

-- CreateEnum
CREATE TYPE "HostTrustState" AS ENUM ('UNTRUSTED', 'TRUSTED', 'MISMATCH');

-- CreateEnum
CREATE TYPE "VmFallbackAction" AS ENUM ('SUSPEND', 'POWER_OFF');

-- CreateEnum
CREATE TYPE "TriggerCombination" AS ENUM ('ANY', 'ALL');

-- CreateEnum
CREATE TYPE "ArtifactKind" AS ENUM ('VIB', 'BUNDLE');

-- CreateEnum
CREATE TYPE "RolloutAction" AS ENUM ('INSTALL', 'CONFIGURE', 'UNINSTALL');

-- CreateEnum
CREATE TYPE "PlanKind" AS ENUM ('SHUTDOWN', 'RESTART', 'ROLLOUT');

-- CreateEnum
CREATE TYPE "PlanMode" AS ENUM ('ARMED', 'DRY_RUN');

-- CreateEnum
CREATE TYPE "PlanState" AS ENUM ('PENDING', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED');

-- CreateEnum
CREATE TYPE "StepState" AS ENUM ('PENDING', 'QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'SKIPPED', 'CANCELLED');

-- CreateEnum
CREATE TYPE "PowerEventType" AS ENUM ('STATUS_CHANGE', 'COMM_LOST', 'COMM_RESTORED', 'STALE_DATA', 'DECISION', 'PLAN');

-- CreateEnum
CREATE TYPE "ApiRole" AS ENUM ('VIEWER', 'OPERATOR', 'ADMIN');

-- CreateTable
CREATE TABLE "NutServer" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "host" TEXT NOT NULL,
    "port" INTEGER NOT NULL DEFAULT 3493,
    "tlsMode" "TlsMode" NOT NULL DEFAULT 'OFF',
    "tlsCaPem" TEXT,
    "tlsFingerprint" TEXT,
    "username" TEXT,
    "passwordEnc" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "NutServer_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Ups" (
    "id" UUID NOT NULL,
    "nutServerId" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT,
    "status" TEXT,
    "variables" JSONB,
    "commState" "CommState" NOT NULL DEFAULT 'UNKNOWN',
    "lastSeenAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Ups_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "HostGroup" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT,
    "policyId" UUID,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "HostGroup_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Host" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "address" TEXT NOT NULL,
    "sshPort" INTEGER NOT NULL DEFAULT 22,
    "username" TEXT NOT NULL DEFAULT 'root',
    "passwordEnc" TEXT,
    "privateKeyEnc" TEXT,
    "hostKeyFingerprint" TEXT,
    "trustState" "HostTrustState" NOT NULL DEFAULT 'UNTRUSTED',
    "macAddresses" TEXT[],
    "wolBroadcast" TEXT,
    "wolPort" INTEGER NOT NULL DEFAULT 9,
    "groupId" UUID,
    "policyId" UUID,
    "tags" TEXT[],
    "shutdownStage" INTEGER NOT NULL DEFAULT 0,
    "restartWave" INTEGER NOT NULL DEFAULT 0,
    "minSupplies" INTEGER NOT NULL DEFAULT 1,
    "facts" JSONB,
    "esxiVersion" TEXT,
    "esxiBuild" TEXT,
    "vibVersion" TEXT,
    "lastSeenAt" TIMESTAMP(3),
    "lastError" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Host_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PowerFeed" (
    "id" UUID NOT NULL,
    "hostId" UUID NOT NULL,
    "upsId" UUID NOT NULL,
    "powerValue" INTEGER NOT NULL DEFAULT 1,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PowerFeed_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Policy" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT,
    "triggerCombination" "TriggerCombination" NOT NULL DEFAULT 'ANY',
    "onLowBattery" BOOLEAN NOT NULL DEFAULT true,
    "onForcedShutdown" BOOLEAN NOT NULL DEFAULT true,
    "onBatterySeconds" INTEGER,
    "runtimeBelowSeconds" INTEGER,
    "chargeBelowPercent" INTEGER,
    "deadtimeSeconds" INTEGER NOT NULL DEFAULT 15,
    "flapGuardSeconds" INTEGER NOT NULL DEFAULT 5,
    "vmGuestShutdownTimeoutSecs" INTEGER NOT NULL DEFAULT 120,
    "vmFallbackAction" "VmFallbackAction" NOT NULL DEFAULT 'POWER_OFF',
    "pointOfNoReturnSeconds" INTEGER NOT NULL DEFAULT 60,
    "restartStableSeconds" INTEGER NOT NULL DEFAULT 300,
    "restartMinChargePercent" INTEGER NOT NULL DEFAULT 50,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Policy_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Artifact" (
    "id" UUID NOT NULL,
    "kind" "ArtifactKind" NOT NULL,
    "fileName" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "version" TEXT NOT NULL,
    "vendor" TEXT NOT NULL,
    "acceptanceLevel" TEXT NOT NULL,
    "sha256" TEXT NOT NULL,
    "sizeBytes" BIGINT NOT NULL,
    "descriptor" JSONB NOT NULL,
    "storagePath" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Artifact_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Rollout" (
    "id" UUID NOT NULL,
    "action" "RolloutAction" NOT NULL,
    "artifactId" UUID,
    "planId" UUID NOT NULL,
    "target" JSONB NOT NULL,
    "canaryCount" INTEGER NOT NULL DEFAULT 1,
    "maxInFlight" INTEGER NOT NULL DEFAULT 10,
    "pauseSeconds" INTEGER NOT NULL DEFAULT 0,
    "maxFailureRatio" DOUBLE PRECISION NOT NULL DEFAULT 0.1,
    "allowAcceptanceChange" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Rollout_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Plan" (
    "id" UUID NOT NULL,
    "kind" "PlanKind" NOT NULL,
    "mode" "PlanMode" NOT NULL,
    "state" "PlanState" NOT NULL DEFAULT 'PENDING',
    "reason" TEXT,
    "dedupKey" TEXT,
    "targets" JSONB,
    "predictedSeconds" INTEGER,
    "pointOfNoReturnAt" TIMESTAMP(3),
    "createdBy" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "startedAt" TIMESTAMP(3),
    "finishedAt" TIMESTAMP(3),
    "cancelledAt" TIMESTAMP(3),

    CONSTRAINT "Plan_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PlanStep" (
    "id" UUID NOT NULL,
    "planId" UUID NOT NULL,
    "key" TEXT NOT NULL,
    "hostId" UUID,
    "action" TEXT NOT NULL,
    "stage" INTEGER NOT NULL DEFAULT 0,
    "sequence" INTEGER NOT NULL DEFAULT 0,
    "state" "StepState" NOT NULL DEFAULT 'PENDING',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "jobId" TEXT,
    "deadlineAt" TIMESTAMP(3),
    "startedAt" TIMESTAMP(3),
    "finishedAt" TIMESTAMP(3),
    "output" TEXT,
    "error" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "PlanStep_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PowerEvent" (
    "id" BIGSERIAL NOT NULL,
    "type" "PowerEventType" NOT NULL,
    "upsId" UUID,
    "planId" UUID,
    "status" TEXT,
    "previousStatus" TEXT,
    "data" JSONB,
    "observedAt" TIMESTAMP(3),
    "receivedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PowerEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ApiToken" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "role" "ApiRole" NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastUsedAt" TIMESTAMP(3),
    "expiresAt" TIMESTAMP(3),
    "revokedAt" TIMESTAMP(3),

    CONSTRAINT "ApiToken_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AuditEntry" (
    "id" BIGSERIAL NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actor" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "resourceType" TEXT NOT NULL,
    "resourceId" TEXT,
    "before" JSONB,
    "after" JSONB,
    "requestId" TEXT,

    CONSTRAINT "AuditEntry_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "NutServer_name_key" ON "NutServer"("name");

-- CreateIndex
CREATE UNIQUE INDEX "NutServer_host_port_key" ON "NutServer"("host", "port");

-- CreateIndex
CREATE UNIQUE INDEX "Ups_nutServerId_name_key" ON "Ups"("nutServerId", "name");

-- CreateIndex
CREATE UNIQUE INDEX "HostGroup_name_key" ON "HostGroup"("name");

-- CreateIndex
CREATE UNIQUE INDEX "Host_name_key" ON "Host"("name");

-- CreateIndex
CREATE INDEX "Host_groupId_idx" ON "Host"("groupId");

-- CreateIndex
CREATE INDEX "Host_shutdownStage_idx" ON "Host"("shutdownStage");

-- CreateIndex
CREATE INDEX "Host_restartWave_idx" ON "Host"("restartWave");

-- CreateIndex
CREATE INDEX "PowerFeed_upsId_idx" ON "PowerFeed"("upsId");

-- CreateIndex
CREATE UNIQUE INDEX "PowerFeed_hostId_upsId_key" ON "PowerFeed"("hostId", "upsId");

-- CreateIndex
CREATE UNIQUE INDEX "Policy_name_key" ON "Policy"("name");

-- CreateIndex
CREATE UNIQUE INDEX "Artifact_sha256_key" ON "Artifact"("sha256");

-- CreateIndex
CREATE UNIQUE INDEX "Rollout_planId_key" ON "Rollout"("planId");

-- CreateIndex
CREATE UNIQUE INDEX "Plan_dedupKey_key" ON "Plan"("dedupKey");

-- CreateIndex
CREATE INDEX "Plan_kind_state_idx" ON "Plan"("kind", "state");

-- CreateIndex
CREATE INDEX "PlanStep_planId_stage_sequence_idx" ON "PlanStep"("planId", "stage", "sequence");

-- CreateIndex
CREATE INDEX "PlanStep_hostId_idx" ON "PlanStep"("hostId");

-- CreateIndex
CREATE UNIQUE INDEX "PlanStep_planId_key_key" ON "PlanStep"("planId", "key");

-- CreateIndex
CREATE INDEX "PowerEvent_receivedAt_idx" ON "PowerEvent"("receivedAt");

-- CreateIndex
CREATE INDEX "PowerEvent_upsId_receivedAt_idx" ON "PowerEvent"("upsId", "receivedAt");

-- CreateIndex
CREATE UNIQUE INDEX "ApiToken_name_key" ON "ApiToken"("name");

-- CreateIndex
CREATE UNIQUE INDEX "ApiToken_tokenHash_key" ON "ApiToken"("tokenHash");

-- CreateIndex
CREATE INDEX "AuditEntry_at_idx" ON "AuditEntry"("at");

-- CreateIndex
CREATE INDEX "AuditEntry_resourceType_resourceId_idx" ON "AuditEntry"("resourceType", "resourceId");

-- AddForeignKey
ALTER TABLE "Ups" ADD CONSTRAINT "Ups_nutServerId_fkey" FOREIGN KEY ("nutServerId") REFERENCES "NutServer"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "HostGroup" ADD CONSTRAINT "HostGroup_policyId_fkey" FOREIGN KEY ("policyId") REFERENCES "Policy"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Host" ADD CONSTRAINT "Host_groupId_fkey" FOREIGN KEY ("groupId") REFERENCES "HostGroup"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Host" ADD CONSTRAINT "Host_policyId_fkey" FOREIGN KEY ("policyId") REFERENCES "Policy"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PowerFeed" ADD CONSTRAINT "PowerFeed_hostId_fkey" FOREIGN KEY ("hostId") REFERENCES "Host"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PowerFeed" ADD CONSTRAINT "PowerFeed_upsId_fkey" FOREIGN KEY ("upsId") REFERENCES "Ups"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Rollout" ADD CONSTRAINT "Rollout_artifactId_fkey" FOREIGN KEY ("artifactId") REFERENCES "Artifact"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Rollout" ADD CONSTRAINT "Rollout_planId_fkey" FOREIGN KEY ("planId") REFERENCES "Plan"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PlanStep" ADD CONSTRAINT "PlanStep_planId_fkey" FOREIGN KEY ("planId") REFERENCES "Plan"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PlanStep" ADD CONSTRAINT "PlanStep_hostId_fkey" FOREIGN KEY ("hostId") REFERENCES "Host"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PowerEvent" ADD CONSTRAINT "PowerEvent_upsId_fkey" FOREIGN KEY ("upsId") REFERENCES "Ups"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PowerEvent" ADD CONSTRAINT "PowerEvent_planId_fkey" FOREIGN KEY ("planId") REFERENCES "Plan"("id") ON DELETE SET NULL ON UPDATE CASCADE;

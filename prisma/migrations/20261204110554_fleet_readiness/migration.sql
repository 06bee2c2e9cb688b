-- CreateTable
CREATE TABLE "FleetReadinessCheck" (
    "hostId" UUID NOT NULL,
    "code" TEXT NOT NULL,
    "ok" BOOLEAN NOT NULL,
    "message" TEXT NOT NULL,
    "checkedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "FleetReadinessCheck_pkey" PRIMARY KEY ("hostId","code")
);

-- CreateTable
CREATE TABLE "FleetReadinessAlert" (
    "subject" TEXT NOT NULL,
    "score" INTEGER NOT NULL,
    "since" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "FleetReadinessAlert_pkey" PRIMARY KEY ("subject")
);

-- AddForeignKey
ALTER TABLE "FleetReadinessCheck" ADD CONSTRAINT "FleetReadinessCheck_hostId_fkey" FOREIGN KEY ("hostId") REFERENCES "Host"("id") ON DELETE CASCADE ON UPDATE CASCADE;

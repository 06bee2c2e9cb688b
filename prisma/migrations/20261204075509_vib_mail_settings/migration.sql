-- CreateEnum
CREATE TYPE "VibMailMode" AS ENUM ('OFF', 'MAIL', 'VERBOSE');

-- CreateTable
CREATE TABLE "VibMailSetting" (
    "scope" TEXT NOT NULL,
    "groupId" UUID,
    "mode" "VibMailMode" NOT NULL DEFAULT 'OFF',
    "mailTo" TEXT,
    "smtpRelay" TEXT,
    "updatedBy" TEXT,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "VibMailSetting_pkey" PRIMARY KEY ("scope")
);

-- CreateIndex
CREATE UNIQUE INDEX "VibMailSetting_groupId_key" ON "VibMailSetting"("groupId");

-- AddForeignKey
ALTER TABLE "VibMailSetting" ADD CONSTRAINT "VibMailSetting_groupId_fkey" FOREIGN KEY ("groupId") REFERENCES "HostGroup"("id") ON DELETE CASCADE ON UPDATE CASCADE;

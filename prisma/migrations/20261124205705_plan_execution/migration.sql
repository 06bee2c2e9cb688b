-- AlterTable
ALTER TABLE "Plan" ADD COLUMN     "detail" JSONB;

-- AlterTable
ALTER TABLE "PlanStep" ADD COLUMN     "commandSentAt" TIMESTAMP(3),
ADD COLUMN     "dependsOn" TEXT[] DEFAULT ARRAY[]::TEXT[],
ADD COLUMN     "detail" JSONB,
ADD COLUMN     "progress" JSONB;

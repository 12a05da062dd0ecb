-- AlterEnum
ALTER TYPE "ApprovalDecisionKind" ADD VALUE 'TRANSFER';

-- DropIndex
DROP INDEX "ApprovalStep_instanceId_index_key";

-- DropIndex
DROP INDEX "ApprovalDecision_stepId_personId_key";

-- AlterTable
ALTER TABLE "ApprovalInstance" ADD COLUMN     "data" JSONB NOT NULL DEFAULT '{}',
ADD COLUMN     "regionCode" VARCHAR(6),
ADD COLUMN     "round" INTEGER NOT NULL DEFAULT 1,
ADD COLUMN     "title" TEXT NOT NULL DEFAULT '';

-- AlterTable
ALTER TABLE "ApprovalStep" ADD COLUMN     "round" INTEGER NOT NULL DEFAULT 1;

-- AlterTable
ALTER TABLE "ApprovalDecision" ADD COLUMN     "transferToId" TEXT;

-- CreateIndex
CREATE UNIQUE INDEX "ApprovalStep_instanceId_round_index_key" ON "ApprovalStep"("instanceId", "round", "index");

-- CreateIndex
CREATE INDEX "ApprovalDecision_stepId_personId_idx" ON "ApprovalDecision"("stepId", "personId");


-- CreateEnum
CREATE TYPE "ApprovalStepKind" AS ENUM ('DEFINED', 'ADDED_BEFORE', 'ADDED_AFTER');

-- AlterEnum
-- This migration adds more than one value to an enum.
-- With PostgreSQL versions 11 and earlier, this is not possible
-- in a single migration. This can be worked around by creating
-- multiple migrations, each migration adding only one value to
-- the enum.


ALTER TYPE "ApprovalDecisionKind" ADD VALUE 'ADD_SIGNER';
ALTER TYPE "ApprovalDecisionKind" ADD VALUE 'REMOVE_SIGNER';
ALTER TYPE "ApprovalDecisionKind" ADD VALUE 'REMIND';
ALTER TYPE "ApprovalDecisionKind" ADD VALUE 'ESCALATE';

-- DropForeignKey
ALTER TABLE "ApprovalDecision" DROP CONSTRAINT "ApprovalDecision_personId_fkey";

-- DropIndex
DROP INDEX "ApprovalStep_instanceId_round_index_key";

-- AlterTable
ALTER TABLE "ApprovalStep" ADD COLUMN     "addedById" TEXT,
ADD COLUMN     "delegations" JSONB NOT NULL DEFAULT '[]',
ADD COLUMN     "escalatedToIds" TEXT[] DEFAULT ARRAY[]::TEXT[],
ADD COLUMN     "hostStepId" TEXT,
ADD COLUMN     "kind" "ApprovalStepKind" NOT NULL DEFAULT 'DEFINED',
ADD COLUMN     "seq" INTEGER NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "ApprovalDecision" ADD COLUMN     "data" JSONB,
ADD COLUMN     "targetPersonId" TEXT,
ALTER COLUMN "personId" DROP NOT NULL;

-- AlterTable
ALTER TABLE "Timer" ADD COLUMN     "note" TEXT;

-- CreateTable
CREATE TABLE "ApprovalNudge" (
    "id" TEXT NOT NULL,
    "instanceId" TEXT NOT NULL,
    "stepId" TEXT NOT NULL,
    "personId" TEXT NOT NULL,
    "workday" VARCHAR(10) NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ApprovalNudge_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Delegation" (
    "id" TEXT NOT NULL,
    "fromPersonId" TEXT NOT NULL,
    "toPersonId" TEXT NOT NULL,
    "startsAt" TIMESTAMPTZ(3) NOT NULL,
    "endsAt" TIMESTAMPTZ(3) NOT NULL,
    "reason" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "cancelledAt" TIMESTAMPTZ(3),

    CONSTRAINT "Delegation_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "ApprovalNudge_stepId_idx" ON "ApprovalNudge"("stepId");

-- CreateIndex
CREATE UNIQUE INDEX "ApprovalNudge_instanceId_workday_key" ON "ApprovalNudge"("instanceId", "workday");

-- CreateIndex
CREATE INDEX "Delegation_fromPersonId_startsAt_idx" ON "Delegation"("fromPersonId", "startsAt");

-- CreateIndex
CREATE INDEX "Delegation_toPersonId_idx" ON "Delegation"("toPersonId");

-- CreateIndex
CREATE INDEX "ApprovalStep_instanceId_round_seq_idx" ON "ApprovalStep"("instanceId", "round", "seq");

-- AddForeignKey
ALTER TABLE "ApprovalDecision" ADD CONSTRAINT "ApprovalDecision_personId_fkey" FOREIGN KEY ("personId") REFERENCES "Person"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ApprovalNudge" ADD CONSTRAINT "ApprovalNudge_instanceId_fkey" FOREIGN KEY ("instanceId") REFERENCES "ApprovalInstance"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ApprovalNudge" ADD CONSTRAINT "ApprovalNudge_stepId_fkey" FOREIGN KEY ("stepId") REFERENCES "ApprovalStep"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Delegation" ADD CONSTRAINT "Delegation_fromPersonId_fkey" FOREIGN KEY ("fromPersonId") REFERENCES "Person"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Delegation" ADD CONSTRAINT "Delegation_toPersonId_fkey" FOREIGN KEY ("toPersonId") REFERENCES "Person"("id") ON DELETE RESTRICT ON UPDATE CASCADE;


-- Existing rows: one pass through the definition, in its order.
UPDATE "ApprovalStep" SET "seq" = "index" + 1;

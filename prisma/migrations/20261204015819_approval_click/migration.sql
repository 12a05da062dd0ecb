-- CreateEnum
CREATE TYPE "ApprovalClickStatus" AS ENUM ('PENDING', 'DECIDED', 'REFUSED');

-- CreateTable
CREATE TABLE "ApprovalClick" (
    "id" TEXT NOT NULL,
    "stepId" TEXT NOT NULL,
    "personId" TEXT NOT NULL,
    "outTrackId" TEXT NOT NULL,
    "decision" "ApprovalDecisionKind" NOT NULL,
    "comment" TEXT,
    "status" "ApprovalClickStatus" NOT NULL DEFAULT 'PENDING',
    "note" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "settledAt" TIMESTAMPTZ(3),

    CONSTRAINT "ApprovalClick_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "ApprovalClick_status_createdAt_idx" ON "ApprovalClick"("status", "createdAt");


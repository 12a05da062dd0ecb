-- CreateEnum
CREATE TYPE "DutyActionKind" AS ENUM ('REMINDER', 'INTERVIEW_PROPOSAL');

-- CreateEnum
CREATE TYPE "DutyActionStatus" AS ENUM ('OPEN', 'SCHEDULED', 'DECLINED', 'DONE');

-- AlterEnum
ALTER TYPE "InterviewStatus" ADD VALUE 'RESCHEDULE_REQUESTED';

-- AlterTable
ALTER TABLE "DutyRanking" ADD COLUMN     "bottom" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "category" "UnitCategory" NOT NULL DEFAULT 'OTHER',
ADD COLUMN     "indicators" JSONB NOT NULL DEFAULT '{}';

-- AlterTable
ALTER TABLE "Interview" ADD COLUMN     "ackDueAt" TIMESTAMPTZ(3),
ADD COLUMN     "closedAt" TIMESTAMPTZ(3),
ADD COLUMN     "heldAt" TIMESTAMPTZ(3),
ADD COLUMN     "materials" TEXT[] DEFAULT ARRAY[]::TEXT[],
ADD COLUMN     "rescheduleReason" TEXT,
ADD COLUMN     "version" INTEGER NOT NULL DEFAULT 1;

-- CreateTable
CREATE TABLE "DutyAction" (
    "id" TEXT NOT NULL,
    "unitId" TEXT NOT NULL,
    "kind" "DutyActionKind" NOT NULL,
    "period" TEXT NOT NULL,
    "triggers" TEXT[],
    "reason" TEXT NOT NULL,
    "status" "DutyActionStatus" NOT NULL DEFAULT 'OPEN',
    "declineReason" TEXT,
    "decidedById" TEXT,
    "decidedAt" TIMESTAMPTZ(3),
    "interviewId" TEXT,
    "version" INTEGER NOT NULL DEFAULT 1,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "DutyAction_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "InterviewAck" (
    "id" TEXT NOT NULL,
    "interviewId" TEXT NOT NULL,
    "personId" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "InterviewAck_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "InterviewTask" (
    "id" TEXT NOT NULL,
    "interviewId" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "dueAt" TIMESTAMPTZ(3) NOT NULL,
    "doneAt" TIMESTAMPTZ(3),
    "doneById" TEXT,
    "note" TEXT,
    "version" INTEGER NOT NULL DEFAULT 1,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "InterviewTask_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "DutyAction_interviewId_key" ON "DutyAction"("interviewId");

-- CreateIndex
CREATE INDEX "DutyAction_unitId_createdAt_idx" ON "DutyAction"("unitId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "DutyAction_unitId_period_kind_key" ON "DutyAction"("unitId", "period", "kind");

-- CreateIndex
CREATE UNIQUE INDEX "InterviewAck_interviewId_personId_version_key" ON "InterviewAck"("interviewId", "personId", "version");

-- CreateIndex
CREATE INDEX "InterviewTask_interviewId_idx" ON "InterviewTask"("interviewId");

-- CreateIndex
CREATE INDEX "DutyRanking_period_regionCode_category_rank_idx" ON "DutyRanking"("period", "regionCode", "category", "rank");

-- AddForeignKey
ALTER TABLE "DutyAction" ADD CONSTRAINT "DutyAction_unitId_fkey" FOREIGN KEY ("unitId") REFERENCES "Unit"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DutyAction" ADD CONSTRAINT "DutyAction_interviewId_fkey" FOREIGN KEY ("interviewId") REFERENCES "Interview"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "InterviewAck" ADD CONSTRAINT "InterviewAck_interviewId_fkey" FOREIGN KEY ("interviewId") REFERENCES "Interview"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "InterviewAck" ADD CONSTRAINT "InterviewAck_personId_fkey" FOREIGN KEY ("personId") REFERENCES "Person"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "InterviewTask" ADD CONSTRAINT "InterviewTask_interviewId_fkey" FOREIGN KEY ("interviewId") REFERENCES "Interview"("id") ON DELETE RESTRICT ON UPDATE CASCADE;


-- AlterEnum
-- This migration adds more than one value to an enum.
-- With PostgreSQL versions 11 and earlier, this is not possible
-- in a single migration. This can be worked around by creating
-- multiple migrations, each migration adding only one value to
-- the enum.


ALTER TYPE "DeliveryChannel" ADD VALUE 'CARD_SHARED';
ALTER TYPE "DeliveryChannel" ADD VALUE 'DING_SMS';
ALTER TYPE "DeliveryChannel" ADD VALUE 'DING_CALL';

-- AlterTable
ALTER TABLE "LightningWarning" ADD COLUMN     "ladder" JSONB NOT NULL DEFAULT '[]',
ADD COLUMN     "sentAt" TIMESTAMPTZ(3);

-- AlterTable
ALTER TABLE "WarningAck" ADD COLUMN     "via" TEXT;

-- CreateTable
CREATE TABLE "WarningUnit" (
    "warningId" TEXT NOT NULL,
    "unitId" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "rank" INTEGER NOT NULL,
    "unreachable" TEXT,
    "step" INTEGER NOT NULL DEFAULT 0,
    "calledAt" TIMESTAMPTZ(3),
    "answeredAt" TIMESTAMPTZ(3),
    "answeredById" TEXT,
    "answeredVia" TEXT,
    "regulatorToldAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "WarningUnit_pkey" PRIMARY KEY ("warningId","unitId")
);

-- CreateTable
CREATE TABLE "WarningFeedEvent" (
    "id" TEXT NOT NULL,
    "warningId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "outcome" TEXT NOT NULL,
    "message" TEXT NOT NULL,
    "sentAt" TIMESTAMPTZ(3),
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "WarningFeedEvent_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "WarningUnit_warningId_answeredAt_idx" ON "WarningUnit"("warningId", "answeredAt");

-- CreateIndex
CREATE INDEX "WarningUnit_unitId_idx" ON "WarningUnit"("unitId");

-- CreateIndex
CREATE INDEX "WarningFeedEvent_warningId_at_idx" ON "WarningFeedEvent"("warningId", "at");

-- AddForeignKey
ALTER TABLE "WarningUnit" ADD CONSTRAINT "WarningUnit_warningId_fkey" FOREIGN KEY ("warningId") REFERENCES "LightningWarning"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "WarningUnit" ADD CONSTRAINT "WarningUnit_unitId_fkey" FOREIGN KEY ("unitId") REFERENCES "Unit"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "WarningUnit" ADD CONSTRAINT "WarningUnit_answeredById_fkey" FOREIGN KEY ("answeredById") REFERENCES "Person"("id") ON DELETE SET NULL ON UPDATE CASCADE;


-- AlterTable
ALTER TABLE "CardInstance" ADD COLUMN     "lastUpdateAt" TIMESTAMPTZ(3),
ADD COLUMN     "pendingNote" TEXT,
ADD COLUMN     "refreshDone" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "refreshWanted" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "updatingUntil" TIMESTAMPTZ(3);


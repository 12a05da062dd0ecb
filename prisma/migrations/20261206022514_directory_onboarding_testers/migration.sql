-- AlterEnum
-- This migration adds more than one value to an enum.
-- With PostgreSQL versions 11 and earlier, this is not possible
-- in a single migration. This can be worked around by creating
-- multiple migrations, each migration adding only one value to
-- the enum.


ALTER TYPE "DirectoryKind" ADD VALUE 'BUREAU';
ALTER TYPE "DirectoryKind" ADD VALUE 'TESTER';

-- AlterTable
ALTER TABLE "Region" ADD COLUMN     "retiredAt" TIMESTAMPTZ(3);

-- CreateIndex
CREATE INDEX "Tester_certNo_idx" ON "Tester"("certNo");


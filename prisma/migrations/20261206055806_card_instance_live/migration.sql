-- AlterTable
ALTER TABLE "CardInstance" ADD COLUMN     "live" BOOLEAN NOT NULL DEFAULT true,
ADD COLUMN     "wantedAt" TIMESTAMPTZ(3);


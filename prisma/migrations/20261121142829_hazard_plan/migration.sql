-- AlterTable
ALTER TABLE "Hazard" ADD COLUMN     "plan" JSONB,
ADD COLUMN     "scheduleVersion" INTEGER NOT NULL DEFAULT 1;


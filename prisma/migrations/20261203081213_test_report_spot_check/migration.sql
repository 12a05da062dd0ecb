-- AlterTable
ALTER TABLE "TestReport" ADD COLUMN     "spotCheck" BOOLEAN NOT NULL DEFAULT false;


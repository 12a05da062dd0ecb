-- AlterTable
ALTER TABLE "Person" ADD COLUMN     "elderMode" BOOLEAN NOT NULL DEFAULT false;


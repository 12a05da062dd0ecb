-- CreateEnum
CREATE TYPE "DirectoryKind" AS ENUM ('UNIT', 'PERSON', 'AGENCY', 'REGULATOR');

-- CreateEnum
CREATE TYPE "ImportStatus" AS ENUM ('RUNNING', 'DONE', 'FAILED');

-- CreateEnum
CREATE TYPE "DingLookupStatus" AS ENUM ('FOUND', 'NOT_FOUND', 'CONFLICT');

-- AlterTable
ALTER TABLE "Person" ADD COLUMN     "idNumberEnc" TEXT,
ADD COLUMN     "idNumberHash" TEXT,
ADD COLUMN     "idNumberMasked" TEXT;

-- CreateTable
CREATE TABLE "DirectoryImport" (
    "id" TEXT NOT NULL,
    "kind" "DirectoryKind" NOT NULL,
    "fileName" TEXT NOT NULL,
    "status" "ImportStatus" NOT NULL DEFAULT 'RUNNING',
    "total" INTEGER NOT NULL DEFAULT 0,
    "created" INTEGER NOT NULL DEFAULT 0,
    "updated" INTEGER NOT NULL DEFAULT 0,
    "unchanged" INTEGER NOT NULL DEFAULT 0,
    "rejected" INTEGER NOT NULL DEFAULT 0,
    "rejects" JSONB NOT NULL DEFAULT '[]',
    "error" TEXT,
    "actor" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" TIMESTAMPTZ(3),

    CONSTRAINT "DirectoryImport_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DingLookup" (
    "personId" TEXT NOT NULL,
    "mobileHash" TEXT NOT NULL,
    "status" "DingLookupStatus" NOT NULL,
    "dingUserId" TEXT,
    "note" TEXT,
    "checkedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "DingLookup_pkey" PRIMARY KEY ("personId")
);

-- CreateIndex
CREATE INDEX "DirectoryImport_createdAt_idx" ON "DirectoryImport"("createdAt");

-- CreateIndex
CREATE INDEX "DingLookup_status_idx" ON "DingLookup"("status");

-- AddForeignKey
ALTER TABLE "DingLookup" ADD CONSTRAINT "DingLookup_personId_fkey" FOREIGN KEY ("personId") REFERENCES "Person"("id") ON DELETE CASCADE ON UPDATE CASCADE;


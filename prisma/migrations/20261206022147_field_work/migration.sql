-- CreateEnum
CREATE TYPE "TestPlanStatus" AS ENUM ('PLANNED', 'ON_SITE', 'REPORTED', 'CANCELLED');

-- CreateEnum
CREATE TYPE "SiteVisitKind" AS ENUM ('TEST', 'INSPECTION');

-- CreateEnum
CREATE TYPE "ScanLocationStatus" AS ENUM ('GIVEN', 'DENIED', 'UNAVAILABLE');

-- AlterTable
ALTER TABLE "Inspection" ADD COLUMN     "extraItems" JSONB NOT NULL DEFAULT '[]',
ADD COLUMN     "orgId" TEXT,
ADD COLUMN     "overCap" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "overCapReason" TEXT;

-- CreateTable
CREATE TABLE "TestPlan" (
    "id" TEXT NOT NULL,
    "agencyId" TEXT NOT NULL,
    "unitId" TEXT NOT NULL,
    "plannedDate" TIMESTAMPTZ(3) NOT NULL,
    "testerIds" TEXT[],
    "installations" TEXT[],
    "status" "TestPlanStatus" NOT NULL DEFAULT 'PLANNED',
    "filedById" TEXT,
    "via" TEXT NOT NULL,
    "reportDueAt" TIMESTAMPTZ(3) NOT NULL,
    "reportId" TEXT,
    "reportedAt" TIMESTAMPTZ(3),
    "late" BOOLEAN NOT NULL DEFAULT false,
    "lateListedAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "TestPlan_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SiteVisit" (
    "id" TEXT NOT NULL,
    "kind" "SiteVisitKind" NOT NULL,
    "unitId" TEXT NOT NULL,
    "personId" TEXT NOT NULL,
    "orgId" TEXT,
    "agencyId" TEXT,
    "testPlanId" TEXT,
    "inspectionId" TEXT,
    "code" TEXT NOT NULL,
    "scannedAt" TIMESTAMPTZ(3) NOT NULL,
    "location" JSONB,
    "locationStatus" "ScanLocationStatus" NOT NULL,
    "distanceM" INTEGER,
    "distanceFlagged" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SiteVisit_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "TestPlan_reportId_key" ON "TestPlan"("reportId");

-- CreateIndex
CREATE INDEX "TestPlan_unitId_status_idx" ON "TestPlan"("unitId", "status");

-- CreateIndex
CREATE INDEX "TestPlan_agencyId_status_idx" ON "TestPlan"("agencyId", "status");

-- CreateIndex
CREATE INDEX "TestPlan_status_reportDueAt_idx" ON "TestPlan"("status", "reportDueAt");

-- CreateIndex
CREATE UNIQUE INDEX "SiteVisit_testPlanId_key" ON "SiteVisit"("testPlanId");

-- CreateIndex
CREATE UNIQUE INDEX "SiteVisit_inspectionId_key" ON "SiteVisit"("inspectionId");

-- CreateIndex
CREATE INDEX "SiteVisit_unitId_scannedAt_idx" ON "SiteVisit"("unitId", "scannedAt");

-- CreateIndex
CREATE INDEX "SiteVisit_personId_scannedAt_idx" ON "SiteVisit"("personId", "scannedAt");

-- CreateIndex
CREATE INDEX "Inspection_orgId_startedAt_idx" ON "Inspection"("orgId", "startedAt");

-- AddForeignKey
ALTER TABLE "Inspection" ADD CONSTRAINT "Inspection_orgId_fkey" FOREIGN KEY ("orgId") REFERENCES "RegulatorOrg"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TestPlan" ADD CONSTRAINT "TestPlan_agencyId_fkey" FOREIGN KEY ("agencyId") REFERENCES "Agency"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TestPlan" ADD CONSTRAINT "TestPlan_unitId_fkey" FOREIGN KEY ("unitId") REFERENCES "Unit"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TestPlan" ADD CONSTRAINT "TestPlan_reportId_fkey" FOREIGN KEY ("reportId") REFERENCES "TestReport"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SiteVisit" ADD CONSTRAINT "SiteVisit_unitId_fkey" FOREIGN KEY ("unitId") REFERENCES "Unit"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SiteVisit" ADD CONSTRAINT "SiteVisit_personId_fkey" FOREIGN KEY ("personId") REFERENCES "Person"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SiteVisit" ADD CONSTRAINT "SiteVisit_testPlanId_fkey" FOREIGN KEY ("testPlanId") REFERENCES "TestPlan"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SiteVisit" ADD CONSTRAINT "SiteVisit_inspectionId_fkey" FOREIGN KEY ("inspectionId") REFERENCES "Inspection"("id") ON DELETE SET NULL ON UPDATE CASCADE;


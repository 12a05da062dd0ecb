-- AlterTable
ALTER TABLE "RegulatorOrg" ADD COLUMN     "dingDeptId" TEXT;

-- CreateIndex
CREATE UNIQUE INDEX "RegulatorOrg_dingDeptId_key" ON "RegulatorOrg"("dingDeptId");


-- AlterTable
ALTER TABLE "Inspection" ADD COLUMN     "drawId" TEXT,
ADD COLUMN     "location" JSONB,
ADD COLUMN     "score" INTEGER;

-- CreateTable
CREATE TABLE "InspectionDraw" (
    "id" TEXT NOT NULL,
    "seed" TEXT NOT NULL,
    "regionCode" VARCHAR(6) NOT NULL,
    "orgId" TEXT,
    "drawnById" TEXT,
    "params" JSONB NOT NULL,
    "picks" JSONB NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "InspectionDraw_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "InspectionDraw_regionCode_createdAt_idx" ON "InspectionDraw"("regionCode", "createdAt");

-- AddForeignKey
ALTER TABLE "Inspection" ADD CONSTRAINT "Inspection_drawId_fkey" FOREIGN KEY ("drawId") REFERENCES "InspectionDraw"("id") ON DELETE SET NULL ON UPDATE CASCADE;


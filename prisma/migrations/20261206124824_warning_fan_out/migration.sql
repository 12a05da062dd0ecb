-- CreateTable
CREATE TABLE "WarningFanOut" (
    "warningId" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "channels" TEXT[],
    "room" INTEGER NOT NULL,
    "people" INTEGER NOT NULL DEFAULT 0,
    "rankFrom" INTEGER NOT NULL,
    "total" INTEGER NOT NULL,
    "written" INTEGER NOT NULL DEFAULT 0,
    "finishedAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "WarningFanOut_pkey" PRIMARY KEY ("warningId")
);

-- CreateIndex
CREATE INDEX "WarningFanOut_finishedAt_idx" ON "WarningFanOut"("finishedAt");

-- AddForeignKey
ALTER TABLE "WarningFanOut" ADD CONSTRAINT "WarningFanOut_warningId_fkey" FOREIGN KEY ("warningId") REFERENCES "LightningWarning"("id") ON DELETE RESTRICT ON UPDATE CASCADE;


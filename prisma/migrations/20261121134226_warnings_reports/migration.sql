-- CreateEnum
CREATE TYPE "WarningStatus" AS ENUM ('ACTIVE', 'CANCELLED');

-- AlterTable
ALTER TABLE "LightningWarning" ADD COLUMN     "cancelledAt" TIMESTAMPTZ(3),
ADD COLUMN     "createdById" TEXT,
ADD COLUMN     "issuer" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "source" TEXT NOT NULL DEFAULT 'API',
ADD COLUMN     "status" "WarningStatus" NOT NULL DEFAULT 'ACTIVE',
ADD COLUMN     "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
ADD COLUMN     "version" INTEGER NOT NULL DEFAULT 1;

-- AlterTable
ALTER TABLE "TestReport" ADD COLUMN     "fileName" TEXT,
ADD COLUMN     "fileSha256" TEXT,
ADD COLUMN     "fileSize" INTEGER,
ADD COLUMN     "instruments" JSONB NOT NULL DEFAULT '[]';


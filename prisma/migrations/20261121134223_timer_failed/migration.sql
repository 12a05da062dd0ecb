-- AlterEnum
ALTER TYPE "TimerStatus" ADD VALUE 'FAILED';

-- AlterTable
ALTER TABLE "Timer" ADD COLUMN     "error" TEXT;


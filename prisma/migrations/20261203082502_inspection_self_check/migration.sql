-- AlterEnum
ALTER TYPE "InspectionMode" ADD VALUE 'SELF_CHECK';


-- AlterEnum (hand-written instead of Prisma's drop-and-recreate, so existing rows keep their
-- meaning): align HazardSource with templates/labels.ts.
ALTER TYPE "HazardSource" RENAME VALUE 'INSPECTION' TO 'ENFORCEMENT';
ALTER TYPE "HazardSource" RENAME VALUE 'COMPLAINT' TO 'REPORT';

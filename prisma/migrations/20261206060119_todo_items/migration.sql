-- CreateEnum
CREATE TYPE "TodoState" AS ENUM ('OPEN', 'DONE', 'DELETED');

-- CreateTable
CREATE TABLE "TodoItem" (
    "id" TEXT NOT NULL,
    "taskKey" TEXT NOT NULL,
    "personId" TEXT NOT NULL,
    "subjectType" TEXT NOT NULL,
    "subjectId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    "dueAt" TIMESTAMPTZ(3),
    "priority" INTEGER NOT NULL DEFAULT 20,
    "path" TEXT NOT NULL,
    "state" "TodoState" NOT NULL DEFAULT 'OPEN',
    "rev" INTEGER NOT NULL DEFAULT 1,
    "syncedRev" INTEGER NOT NULL DEFAULT 0,
    "pending" BOOLEAN NOT NULL DEFAULT true,
    "generation" INTEGER NOT NULL DEFAULT 1,
    "createSent" BOOLEAN NOT NULL DEFAULT false,
    "dingTaskId" TEXT,
    "dingUnionId" TEXT,
    "syncedPriority" INTEGER,
    "leaseUntil" TIMESTAMPTZ(3),
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "errorCode" TEXT,
    "errorMessage" TEXT,
    "syncedAt" TIMESTAMPTZ(3),
    "endedAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "TodoItem_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "TodoItem_subjectType_subjectId_idx" ON "TodoItem"("subjectType", "subjectId");

-- CreateIndex
CREATE INDEX "TodoItem_personId_state_idx" ON "TodoItem"("personId", "state");

-- CreateIndex
CREATE INDEX "TodoItem_pending_leaseUntil_idx" ON "TodoItem"("pending", "leaseUntil");

-- CreateIndex
CREATE UNIQUE INDEX "TodoItem_taskKey_personId_key" ON "TodoItem"("taskKey", "personId");

-- AddForeignKey
ALTER TABLE "TodoItem" ADD CONSTRAINT "TodoItem_personId_fkey" FOREIGN KEY ("personId") REFERENCES "Person"("id") ON DELETE RESTRICT ON UPDATE CASCADE;


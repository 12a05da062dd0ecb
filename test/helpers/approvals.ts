// Approval clicks are accepted in the callback and settled by the worker (core/approval/clicks.ts).
import { startApproval } from '../../core/approval';
import type { PrismaClient } from '../../core/db';
import { AppError } from '../../core/errors';
import { deliveredCard } from './deliveries';
import type { World } from './fixtures';
import type { TestRuntime } from './runtime';
import { waitFor } from './wait';

/**
 * Starts an application of `definitionKey` by the world's unit manager, sends its cards and
 * returns its first step and the county regulator's task card.
 */
export async function startedApproval(t: TestRuntime, world: World, definitionKey: string, title: string) {
  const { prisma } = t.db;
  const s = await prisma.$transaction((tx) =>
    startApproval(
      tx,
      {
        definitionKey,
        subject: { type: 'permit', id: `permit-${title}`, regionCode: world.regionCode, title },
        applicantPersonId: world.managerId,
      },
      { publicBaseUrl: t.runtime.deps.publicBaseUrl },
    ),
  );
  await t.runtime.dispatch(s.deliveryIds);
  const step = await prisma.approvalStep.findFirstOrThrow({ where: { instanceId: s.instanceId, status: 'ACTIVE' } });
  return {
    instanceId: s.instanceId,
    stepId: step.id,
    taskCard: await deliveredCard(prisma, step.id, world.regulatorId),
  };
}

/** The clicks on step `stepId`, oldest first, once at least `atLeast` exist and none is pending. */
export async function settledClicks(prisma: PrismaClient, stepId: string, atLeast = 1) {
  return waitFor(
    async () => {
      const rows = await prisma.approvalClick.findMany({ where: { stepId }, orderBy: { createdAt: 'asc' } });
      return rows.length >= atLeast && rows.every((r) => r.status !== 'PENDING') ? rows : undefined;
    },
    20_000,
    `${atLeast} click(s) on step ${stepId} settled`,
  );
}

/** The active step row of an application (there is at most one). */
export async function activeStep(prisma: PrismaClient, instanceId: string) {
  return prisma.approvalStep.findFirstOrThrow({ where: { instanceId, status: 'ACTIVE' } });
}

/** Awaits a command expected to be refused with `code` (and a message matching `message`). */
export async function expectRefused(p: Promise<unknown>, code: string, message?: RegExp): Promise<void> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  expect((err as AppError).code).toBe(code);
  if (message) expect((err as AppError).message).toMatch(message);
}

/** The audit actions on a subject, oldest first. */
export async function auditActions(prisma: PrismaClient, subjectId: string): Promise<string[]> {
  const events = await prisma.auditEvent.findMany({ where: { subjectId }, orderBy: { id: 'asc' } });
  return events.map((e) => e.action);
}

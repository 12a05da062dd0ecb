// The database side of pushing a to-do row to DingTalk (workflows/todos/push.job.ts): claim it
// for a while, note what was sent before waiting for DingTalk (a create's sourceId generation),
// and settle it with what DingTalk now shows, or with why it could not.
import type { PrismaClient } from '../db';
import type { TodoItemModel } from '../db/generated/models';

/** How long a push holds a row, ms. */
export const TODO_LEASE_MS = 60_000;

/** A claimed row, with its person's DingTalk identity. */
export type ClaimedTodo = TodoItemModel & { person: { dingUnionId: string | null; active: boolean } };

/** Claims a pending row nobody holds; null when there is nothing to push or another push holds it. */
export async function claimTodo(
  prisma: PrismaClient,
  id: string,
  now = new Date(),
): Promise<{ row: ClaimedTodo } | { row: null; held: boolean; until?: Date }> {
  const rows = await prisma.todoItem.updateManyAndReturn({
    where: { id, pending: true, OR: [{ leaseUntil: null }, { leaseUntil: { lt: now } }] },
    data: { leaseUntil: new Date(now.getTime() + TODO_LEASE_MS), attempts: { increment: 1 } },
    include: { person: { select: { dingUnionId: true, active: true } } },
  });
  if (rows[0]) return { row: rows[0] };
  const held = await prisma.todoItem.findFirst({ where: { id, pending: true }, select: { leaseUntil: true } });
  return { row: null, held: held !== null, until: held?.leaseUntil ?? undefined };
}

/** What the push learnt about the DingTalk task, kept even if it did not finish. */
export interface TodoProgress {
  generation?: number;
  createSent?: boolean;
  dingTaskId?: string | null;
  dingUnionId?: string | null;
  syncedPriority?: number | null;
}

/** Notes progress made with DingTalk (before a call whose answer may be lost, or after one). */
export async function noteTodoProgress(prisma: PrismaClient, id: string, progress: TodoProgress): Promise<void> {
  await prisma.todoItem.update({ where: { id }, data: progress });
}

/** How a push ended: DingTalk matches rev `seenRev`, or a refusal retrying cannot fix. */
export type TodoSettlement = { ok: true } | { ok: false; code: string; message: string };

/**
 * Settles a push of the row as it was at `seenRev`: the row stays pending if it changed meanwhile.
 * A success after a permission refusal puts the other refused rows back in line (the permission
 * was granted); their ids are returned to be pushed.
 */
export async function settleTodo(
  prisma: PrismaClient,
  row: Pick<ClaimedTodo, 'id' | 'errorCode'>,
  seenRev: number,
  outcome: TodoSettlement,
  now = new Date(),
): Promise<{ stillPending: boolean; retry: string[] }> {
  await prisma.todoItem.update({
    where: { id: row.id },
    data: {
      syncedRev: seenRev,
      leaseUntil: null,
      ...(outcome.ok
        ? { errorCode: null, errorMessage: null, syncedAt: now }
        : { errorCode: outcome.code, errorMessage: outcome.message.slice(0, 500) }),
    },
  });
  const done = await prisma.todoItem.updateMany({ where: { id: row.id, rev: seenRev }, data: { pending: false } });
  let retry: string[] = [];
  if (outcome.ok && row.errorCode === TODO_ERRORS.NO_PERMISSION) {
    retry = (
      await prisma.todoItem.updateManyAndReturn({
        where: { errorCode: TODO_ERRORS.NO_PERMISSION, pending: false },
        data: { pending: true },
        select: { id: true },
      })
    ).map((r) => r.id);
  }
  return { stillPending: done.count === 0, retry };
}

/** Gives a row back after a failure that will be retried (DingTalk busy, quota, network). */
export async function releaseTodo(prisma: PrismaClient, id: string, code: string, message: string): Promise<void> {
  await prisma.todoItem.update({
    where: { id },
    data: { leaseUntil: null, errorCode: code, errorMessage: message.slice(0, 500) },
  });
}

/** Why a person without a unionId has no DingTalk to-do, and what to do about it. */
export const NO_UNION_ID_MESSAGE =
  '该人员未关联钉钉 unionId，无法创建钉钉待办：运行 leiguard map-dingtalk 补全，或由本人登录一次小程序';

/** Stable codes of refusals recorded on a row. */
export const TODO_ERRORS = {
  NO_UNION_ID: 'TODO_NO_UNION_ID',
  NO_PERMISSION: 'TODO_NO_PERMISSION',
  REFUSED: 'TODO_REFUSED',
  RETRYING: 'TODO_RETRYING',
} as const;

/**
 * Rows to push again: pending ones no push holds (their job was lost), rows refused for a missing
 * unionId whose person now has one, and (as a probe) the oldest row refused for want of the
 * to-do permission.
 */
export async function todosToPush(prisma: PrismaClient, now = new Date(), limit = 5000): Promise<string[]> {
  await prisma.todoItem.updateMany({
    where: { errorCode: TODO_ERRORS.NO_UNION_ID, pending: false, person: { dingUnionId: { not: null } } },
    data: { pending: true },
  });
  const probe = await prisma.todoItem.findFirst({
    where: { errorCode: TODO_ERRORS.NO_PERMISSION, pending: false },
    orderBy: { updatedAt: 'asc' },
    select: { id: true },
  });
  if (probe) await prisma.todoItem.update({ where: { id: probe.id }, data: { pending: true } });
  const rows = await prisma.todoItem.findMany({
    where: { pending: true, OR: [{ leaseUntil: null }, { leaseUntil: { lt: now } }] },
    orderBy: { updatedAt: 'asc' },
    take: limit,
    select: { id: true },
  });
  return rows.map((r) => r.id);
}

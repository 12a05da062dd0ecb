// How the to-do sync stands, for `leiguard doctor`: to-dos DingTalk refused (by reason, with what
// DingTalk or LeiGuard said), and how many wait to be pushed.
import type { PrismaClient } from '../db';
import { TODO_ERRORS } from './push-state';

/** Refusals and backlog of the to-do sync. */
export interface TodoSyncHealth {
  open: number;
  pending: number;
  refused: Array<{ code: string; count: number; message: string }>;
}

/** Reads the to-do rows' state. */
export async function todoSyncHealth(prisma: PrismaClient): Promise<TodoSyncHealth> {
  const [open, pending, groups] = await Promise.all([
    prisma.todoItem.count({ where: { state: 'OPEN' } }),
    prisma.todoItem.count({ where: { pending: true } }),
    prisma.todoItem.groupBy({
      by: ['errorCode'],
      where: { pending: false, errorCode: { not: null } },
      _count: { _all: true },
      _max: { errorMessage: true },
    }),
  ]);
  return {
    open,
    pending,
    refused: groups
      .filter((g) => g.errorCode && g.errorCode !== TODO_ERRORS.RETRYING)
      .map((g) => ({ code: g.errorCode!, count: g._count._all, message: g._max.errorMessage ?? '' })),
  };
}

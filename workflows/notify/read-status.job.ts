// notify.read-status (issue #3 part 7, "delivery state per notice ... read where DingTalk tells
// us"): robot 1:1 messages (batchOTOQuery by processQueryKey) and work notices (getsendresult by
// task_id) report who has read them; this job copies that into Delivery.readAt, and settles work
// notices getsendresult lists as not delivered (work-notice-forbidden.ts). Runs every
// READ_STATUS_INTERVAL_MS from the single scheduler, for deliveries sent in the last 24 hours.
// https://open.dingtalk.com/document/orgapp/chatbot-batch-query-the-read-status-of-messages
// https://open.dingtalk.com/document/orgapp/obtain-the-sending-result-of-asynchronous-sending-of-enterprise-session
import { z } from 'zod';
import type { WorkflowDeps } from '../deps';
import { defineJob } from '../job';
import { settleForbiddenWorkNotices } from './work-notice-forbidden';

/** How often the scheduler runs the job. */
export const READ_STATUS_INTERVAL_MS = 5 * 60_000;
/** How far back sent deliveries are checked. */
export const READ_STATUS_WINDOW_MS = 24 * 3600_000;
/** DingTalk calls per run at most (one per distinct processQueryKey / task id). */
export const READ_STATUS_MAX_KEYS = 200;

/** Result of one pass. */
export interface ReadStatusResult {
  keys: number;
  read: number;
  /** Keys whose query failed (tried again next run). */
  failedKeys: number;
}

type ReadChannel = 'ROBOT_OTO' | 'WORK_NOTICE';

/** userId -> when DingTalk says it was read, for one message. */
async function readersOf(deps: WorkflowDeps, channel: ReadChannel, key: string, now: Date): Promise<Map<string, Date>> {
  const readers = new Map<string, Date>();
  if (channel === 'ROBOT_OTO') {
    const status = await deps.dingtalk.robotReadStatus(key);
    for (const r of status.readInfo) {
      if (r.readStatus !== 'READ' || !r.userId) continue;
      // readTimestamp is epoch ms; trust it only when it is set and not in the future.
      const ts =
        r.readTimestamp && r.readTimestamp > 0 && r.readTimestamp <= now.getTime() ? new Date(r.readTimestamp) : now;
      readers.set(r.userId, ts);
    }
  } else {
    const taskId = Number(key);
    if (!Number.isSafeInteger(taskId)) return readers;
    const result = await deps.dingtalk.workNoticeResult(taskId);
    // Taken but not delivered (silent filters): failed, and resent where statutory.
    await settleForbiddenWorkNotices(deps, key, result);
    // getsendresult gives no read time: the first run that sees it read stamps it.
    for (const userId of result.readUserIds) readers.set(userId, now);
  }
  return readers;
}

/** One pass over recent unread deliveries. */
export async function syncReadStatus(deps: WorkflowDeps, opts: { maxKeys?: number } = {}): Promise<ReadStatusResult> {
  const { prisma } = deps;
  const now = new Date();
  const where = {
    status: 'SENT' as const,
    channel: { in: ['ROBOT_OTO', 'WORK_NOTICE'] as ReadChannel[] },
    externalId: { not: null },
    readAt: null,
    sentAt: { gte: new Date(now.getTime() - READ_STATUS_WINDOW_MS) },
  };
  // Oldest first: those are the ones about to leave the window.
  const keys = await prisma.delivery.groupBy({
    by: ['channel', 'externalId'],
    where,
    _min: { sentAt: true },
    orderBy: { _min: { sentAt: 'asc' } },
    take: opts.maxKeys ?? READ_STATUS_MAX_KEYS,
  });

  let read = 0;
  let failedKeys = 0;
  let firstError: unknown;
  for (const k of keys) {
    const key = k.externalId!;
    const channel = k.channel as ReadChannel;
    let readers: Map<string, Date>;
    try {
      readers = await readersOf(deps, channel, key, now);
    } catch (err) {
      // One key DingTalk no longer knows (or a passing error) must not stop the others.
      failedKeys += 1;
      firstError ??= err;
      continue;
    }
    if (readers.size === 0) continue;
    const rows = await prisma.delivery.findMany({
      where: { ...where, channel, externalId: key },
      select: { id: true, recipientAddress: true, recipient: { select: { dingUserId: true } } },
    });
    const byTime = new Map<number, string[]>();
    for (const r of rows) {
      const at = readers.get(r.recipientAddress ?? '') ?? readers.get(r.recipient?.dingUserId ?? '');
      if (!at) continue;
      const ids = byTime.get(at.getTime()) ?? [];
      ids.push(r.id);
      byTime.set(at.getTime(), ids);
    }
    for (const [at, ids] of byTime) {
      const res = await prisma.delivery.updateMany({
        where: { id: { in: ids }, readAt: null },
        data: { readAt: new Date(at) },
      });
      read += res.count;
    }
  }
  if (failedKeys > 0)
    deps.logger.warn({ failedKeys, keys: keys.length, err: firstError }, '查询已读状态：部分消息查询失败，下次再试');
  return { keys: keys.length, read, failedKeys };
}

export const readStatusJob = defineJob({
  name: 'notify.read-status',
  queue: 'system',
  schedule: { repeat: () => ({ every: READ_STATUS_INTERVAL_MS }) },
  schema: z.object({ maxKeys: z.number().int().positive().max(1000).optional() }).default({}),
  defaults: { attempts: 1, removeOnComplete: 10, removeOnFail: 50 },
  async handle(payload, _job, { deps }) {
    return syncReadStatus(deps, payload);
  },
});

// Bringing the copies of a warning already sent up to date (issue #20): each shared card instance is updated whole by
// notify.card-update (the shared part and every recipient's own part, one update at a time per card, #19 item 3), each
// OA work-notice task one status-bar call for all its recipients, each DING one recall, robot messages recalled in
// batches. Level-triggered: what a copy shows is built from the record when the call is made, so a late or repeated
// update shows no old state.
import type { Logger } from '../../core/logger';
import { SHARED_SUBJECT } from '../../core/outbox/shared-card';
import { UNIT_SUBJECT } from '../../core/warning/warning-cards';
import type { WorkflowDeps } from '../deps';
import { isPermanent } from '../errors';
import { requestCardUpdates } from '../notify/card-update.job';

/**
 * The shared cards carrying the warning's copies (of one unit when given), by outTrackId; a card
 * still being created is asked too, and updated once DingTalk has it (recordSharedCard).
 */
async function sharedInstances(deps: WorkflowDeps, warningId: string, unitId?: string): Promise<string[]> {
  // One unit's copies by its subject, or every copy of the warning by the subject prefix.
  const rows = unitId
    ? await deps.prisma.$queryRaw<Array<{ outTrackId: string }>>`
        SELECT DISTINCT d."externalId" AS "outTrackId" FROM "Delivery" d
         WHERE d."subjectType" = ${UNIT_SUBJECT} AND d."subjectId" = ${`${warningId}|${unitId}`}
           AND d.channel = 'CARD_SHARED' AND d.status IN ('SENT', 'SENDING') AND d."externalId" IS NOT NULL`
    : await deps.prisma.$queryRaw<Array<{ outTrackId: string }>>`
        SELECT DISTINCT d."externalId" AS "outTrackId" FROM "Delivery" d
         WHERE d."subjectType" = ${UNIT_SUBJECT} AND starts_with(d."subjectId", ${`${warningId}|`})
           AND d.channel = 'CARD_SHARED' AND d.status IN ('SENT', 'SENDING') AND d."externalId" IS NOT NULL`;
  return rows.map((r) => r.outTrackId);
}

/** Runs `fn` over items, `width` at a time (each call waits for its API's quota anyway). */
async function pool<T>(items: T[], width: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(width, items.length) }, async () => {
      while (next < items.length) await fn(items[next++]!);
    }),
  );
}

/** A failed call to one copy: permanent ones are logged and skipped, others retry the job. */
function onCopyError(logger: Logger, err: unknown, what: Record<string, unknown>): void {
  if (!isPermanent(err)) throw err;
  logger.warn({ err, ...what }, '更新已发出的预警消息失败（不再重试）');
}

/**
 * Asks for the update of every shared card carrying the warning's copies (of one unit's when
 * `unitId` is given). notify.card-update sends each card whole (the shared part and every
 * recipient's own), built from the record when it goes out, one update at a time per card and
 * spaced (#19 item 3): a burst of answers from the units on one card becomes a few updates that
 * each show all of them, and no per-card limit is met. Returns how many cards were asked.
 */
export async function updateSharedCards(deps: WorkflowDeps, warningId: string, unitId?: string): Promise<number> {
  const instances = await sharedInstances(deps, warningId, unitId);
  for (const outTrackId of instances)
    await requestCardUpdates(deps, { subjectType: SHARED_SUBJECT, subjectId: outTrackId });
  return instances.length;
}

/** Changes the status bar of every OA work notice of the warning sent in the last 24 hours. */
export async function updateStatusBars(
  deps: WorkflowDeps,
  warningId: string,
  status: { value: string; bg?: string },
  stillCurrent?: () => Promise<boolean>,
): Promise<number> {
  // DingTalk updates the status bar of notices sent in the last 24 hours only (docs/warning-broadcast.md [W2]).
  const tasks = await deps.prisma.$queryRaw<Array<{ taskId: string }>>`
    SELECT DISTINCT "externalId" AS "taskId" FROM "Delivery"
     WHERE "subjectType" = ${UNIT_SUBJECT} AND starts_with("subjectId", ${`${warningId}|`})
       AND channel = 'WORK_NOTICE' AND status = 'SENT' AND "externalId" IS NOT NULL
       AND (purpose LIKE 'warning.first-line%' OR purpose LIKE 'warning.ladder.remind%' OR purpose LIKE 'warning.update-notice%')
       AND "sentAt" > now() - interval '24 hours'`;
  let updated = 0;
  await pool(tasks, 4, async ({ taskId }) => {
    if (stillCurrent && !(await stillCurrent())) return;
    try {
      await deps.dingtalk.workNoticeUpdateStatusBar({
        taskId: Number(taskId),
        statusValue: status.value,
        statusBg: status.bg,
      });
      updated++;
    } catch (err) {
      onCopyError(deps.logger, err, { taskId, warningId });
    }
  });
  return updated;
}

/** Recalls every DING of the warning (first line and ladder). */
export async function recallDings(deps: WorkflowDeps, warningId: string): Promise<number> {
  const dings = await deps.prisma.$queryRaw<Array<{ openDingId: string }>>`
    SELECT DISTINCT "externalId" AS "openDingId" FROM "Delivery"
     WHERE "subjectType" = ${UNIT_SUBJECT} AND starts_with("subjectId", ${`${warningId}|`})
       AND channel IN ('DING', 'DING_SMS', 'DING_CALL') AND status = 'SENT' AND "externalId" IS NOT NULL`;
  let recalled = 0;
  await pool(dings, 4, async ({ openDingId }) => {
    try {
      await deps.dingtalk.dingRecall(openDingId);
      recalled++;
    } catch (err) {
      onCopyError(deps.logger, err, { openDingId, warningId });
    }
  });
  return recalled;
}

/** Sends recalled per batchRecall call (DingTalk publishes no cap for processQueryKeys: UNCONFIRMED). */
const RECALL_KEYS_PER_CALL = 20;

/**
 * Recalls the robot 1:1 messages of the warning (first line, reminders, update notices), as DINGs
 * are: a robot message cannot be changed (robot_1_0 BatchRecallOTO {robotCode, processQueryKeys} is
 * its only way back, docs/warning-broadcast.md [R1]). The cancellation notice that follows them is
 * kept, so each person a robot message reached is left with the word that the warning was lifted.
 */
export async function recallRobotMessages(deps: WorkflowDeps, warningId: string): Promise<number> {
  const sends = await deps.prisma.$queryRaw<Array<{ key: string }>>`
    SELECT DISTINCT "externalId" AS key FROM "Delivery"
     WHERE "subjectType" = ${UNIT_SUBJECT} AND starts_with("subjectId", ${`${warningId}|`})
       AND channel = 'ROBOT_OTO' AND status = 'SENT' AND "externalId" IS NOT NULL
       AND purpose NOT LIKE 'warning.cancel-notice%'`;
  const chunks: string[][] = [];
  for (let i = 0; i < sends.length; i += RECALL_KEYS_PER_CALL)
    chunks.push(sends.slice(i, i + RECALL_KEYS_PER_CALL).map((r) => r.key));
  let recalled = 0;
  await pool(chunks, 4, async (keys) => {
    try {
      const res = await deps.dingtalk.robotRecall(keys);
      recalled += res.recalled.length;
      if (Object.keys(res.failed).length > 0)
        deps.logger.warn({ warningId, failed: res.failed }, '部分机器人消息未能撤回（不再重试）');
    } catch (err) {
      onCopyError(deps.logger, err, { processQueryKeys: keys, warningId });
    }
  });
  return recalled;
}

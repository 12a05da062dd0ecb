// Bringing the copies of a warning already sent up to date (issue #20): each shared card instance
// is one update call (the shared part and every recipient's own part), each OA work-notice task one
// status-bar call for all its recipients, each DING one recall. Level-triggered: what a copy shows
// is built from the record when the call is made, so a late or repeated update shows no old state.
import type { Logger } from '../../core/logger';
import type { CardStatus } from '../../core/domain/card-state';
import { UNIT_SUBJECT, sharedWarningData, warningCardBase } from '../../core/warning/warning-cards';
import type { CardPayload } from '../../templates';
import type { WorkflowDeps } from '../deps';
import { isPermanent } from '../errors';
import { personalPrivateData } from '../notify/shared-card';

/** A sent copy of a shared card: one recipient on one instance. */
interface SharedCopy {
  id: string;
  outTrackId: string;
  subjectId: string;
  data: { status?: CardStatus } & Record<string, unknown>;
  address: string;
}

/** The shared-card copies of a warning (of one unit when given), by instance. */
async function sharedCopies(deps: WorkflowDeps, warningId: string, unitId?: string) {
  // One unit's copies by its subject, or every copy of the warning by the subject prefix.
  const rows = unitId
    ? await deps.prisma.$queryRaw<SharedCopy[]>`
        SELECT d.id, d."externalId" AS "outTrackId", d."subjectId", d.data, p."dingUserId" AS address
          FROM "Delivery" d JOIN "Person" p ON p.id = d."recipientPersonId"
         WHERE d."subjectType" = ${UNIT_SUBJECT} AND d."subjectId" = ${`${warningId}|${unitId}`}
           AND d.channel = 'CARD_SHARED' AND d.status = 'SENT' AND d."externalId" IS NOT NULL
           AND p."dingUserId" IS NOT NULL`
    : await deps.prisma.$queryRaw<SharedCopy[]>`
        SELECT d.id, d."externalId" AS "outTrackId", d."subjectId", d.data, p."dingUserId" AS address
          FROM "Delivery" d JOIN "Person" p ON p.id = d."recipientPersonId"
         WHERE d."subjectType" = ${UNIT_SUBJECT} AND starts_with(d."subjectId", ${`${warningId}|`})
           AND d.channel = 'CARD_SHARED' AND d.status = 'SENT' AND d."externalId" IS NOT NULL
           AND p."dingUserId" IS NOT NULL`;
  const byInstance = new Map<string, SharedCopy[]>();
  for (const r of rows) byInstance.set(r.outTrackId, [...(byInstance.get(r.outTrackId) ?? []), r]);
  return byInstance;
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
 * Updates shared cards: with `unitId`, only that unit's people on each instance (their private
 * part); without, every instance whole. `stillCurrent` stops the work when a newer change came.
 */
export async function updateSharedCards(
  deps: WorkflowDeps,
  warningId: string,
  opts: { unitId?: string; stillCurrent?: () => Promise<boolean> } = {},
): Promise<number> {
  const instances = [...(await sharedCopies(deps, warningId, opts.unitId)).entries()];
  let updated = 0;
  await pool(instances, 4, async ([outTrackId, copies]) => {
    if (opts.stillCurrent && !(await opts.stillCurrent())) return;
    const now = new Date();
    const b = await deps.prisma.$transaction((tx) => warningCardBase(tx, warningId));
    const shared = deps.render(
      'lightning-warning',
      sharedWarningData(b, now, copies[0]!.data.status),
      'CARD',
    ) as CardPayload;
    const privateData = await personalPrivateData(
      deps,
      'lightning-warning',
      shared,
      copies.map((c) => ({ deliveryId: c.id, address: c.address, subjectId: c.subjectId, data: c.data })),
      now,
    );
    try {
      await deps.dingtalk.cardUpdate({
        outTrackId,
        cardParamMap: opts.unitId ? undefined : shared.cardParamMap,
        privateData: Object.fromEntries(Object.entries(privateData).map(([u, p]) => [u, p.cardParamMap])),
        mergeByKey: true,
      });
    } catch (err) {
      onCopyError(deps.logger, err, { outTrackId, warningId });
      return;
    }
    if (!opts.unitId)
      await deps.prisma.cardInstance.updateMany({
        where: { outTrackId },
        data: { data: shared.cardParamMap, version: { increment: 1 } },
      });
    updated++;
  });
  return updated;
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
       AND (purpose IN ('warning.first-line', 'warning.ladder.remind') OR purpose LIKE 'warning.update-notice%')
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

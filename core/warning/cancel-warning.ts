// Lifting (解除) a lightning warning (issues #8, #20). One transaction records the message, marks
// the warning cancelled, stops the 叫应 ladder, withdraws what was not sent yet and writes the short
// notice to work-notice recipients who have not answered and to every robot-message recipient; after
// commit every copy already sent is updated (shared cards: one call each; work notices: their status
// bar; DINGs: recalled). A cancellation of an unknown warning is kept, so that warning is not issued if it comes later.
import { appendAudit } from '../audit';
import type { PrismaClient } from '../db';
import { NotFoundError, ValidationError } from '../errors';
import { addDeliveries } from '../outbox/add-deliveries';
import { cancelTimers } from '../timers';
import { FEED_OUTCOMES, recordFeedEvent, type FeedOutcome } from './feed-events';
import { assertRegulatorRegions } from '../authz/person-checks';
import { shortNotices, type WarningChange, type WarningOptions } from './issue-warning';
import { UNIT_SUBJECT, warningCardBase, WARNING_SUBJECT } from './warning-cards';
import { WARNING_ID_RE } from './warning-input';

/** Cancels a warning; a cancellation that changes nothing says why (recorded either way). */
export async function cancelWarning(
  prisma: PrismaClient,
  warningId: string,
  opts: Pick<WarningOptions, 'source' | 'actorPersonId' | 'publicBaseUrl' | 'now'>,
): Promise<WarningChange> {
  const now = opts.now ?? new Date();
  // Only a well-formed id can name a warning, now or later; anything else is refused unrecorded.
  if (!WARNING_ID_RE.test(warningId))
    throw new ValidationError('预警编号格式不正确（应为 ZZZZZZDDDUUUXX_YYYYMMDDhhmmss_N）', {
      fields: [{ path: 'id', message: '预警编号格式不正确' }],
    });
  return prisma.$transaction(
    async (tx) => {
      const w = await tx.lightningWarning.findUnique({ where: { id: warningId } });
      if (w && opts.source === 'REGULATOR') await assertRegulatorRegions(tx, opts.actorPersonId, w.regionCodes);
      const done = async (outcome: FeedOutcome, message: string, change: Partial<WarningChange> = {}) => {
        await recordFeedEvent(tx, { warningId, kind: 'cancel', source: opts.source, outcome, message });
        return {
          warningId,
          outcome,
          message,
          status: FEED_OUTCOMES[outcome],
          created: false,
          version: w?.version ?? 0,
          units: w ? await tx.warningUnit.count({ where: { warningId } }) : 0,
          deliveryIds: [],
          refresh: [],
          ...change,
        } satisfies WarningChange;
      };
      if (!w) {
        // A regulator's request names a warning on record; only the feed's may come before it.
        if (opts.source === 'REGULATOR') throw new NotFoundError('WARNING_NOT_FOUND', '该预警不存在');
        return done('CANCEL_UNKNOWN', '未找到该预警：解除指令已记录，该预警随后到达时不再发送');
      }
      if (w.status === 'CANCELLED') return done('CANCEL_REPEATED', '该预警已解除，无需重复解除');
      if (w.expiresAt <= now) {
        await cancelTimers(tx, { subjectType: WARNING_SUBJECT, subjectId: warningId });
        return done('CANCEL_EXPIRED', '该预警已过有效期，无需解除，未发送通知');
      }
      const updated = await tx.lightningWarning.update({
        where: { id: warningId, version: w.version },
        data: { status: 'CANCELLED', cancelledAt: now, version: { increment: 1 } },
      });
      await cancelTimers(tx, { subjectType: WARNING_SUBJECT, subjectId: warningId });
      // What has not gone out yet stays unsent, on the record with the reason.
      const withdrawn = await tx.$executeRaw`
        UPDATE "Delivery" SET status = 'CANCELLED', "errorCode" = 'WARNING_CANCELLED',
               "errorMessage" = '预警已解除，未再发送', "updatedAt" = now()
         WHERE "subjectType" = ${UNIT_SUBJECT} AND starts_with("subjectId", ${`${warningId}|`}) AND status = 'PENDING'`;
      await appendAudit(tx, {
        actorPersonId: opts.actorPersonId,
        actorKind: opts.actorPersonId ? 'PERSON' : 'SYSTEM',
        action: 'warning.cancelled',
        subjectType: WARNING_SUBJECT,
        subjectId: warningId,
        data: { version: updated.version, source: opts.source, withdrawn },
      });
      const b = await warningCardBase(tx, warningId);
      const deliveryIds = await addDeliveries(
        tx,
        // Robot messages cannot be changed: every one of them gets the notice (short-notices.ts).
        await shortNotices(tx, b, 'CANCEL', ['WORK_NOTICE', 'ROBOT_OTO'], now, opts.publicBaseUrl),
      );
      return done('CANCELLED', '已解除', {
        version: updated.version,
        deliveryIds,
        follow: [{ kind: 'warning.copies', warningId, what: 'cancel', version: updated.version }],
        refresh: [
          { subjectType: UNIT_SUBJECT, subjectId: `${warningId}|`, prefix: true },
          { subjectType: WARNING_SUBJECT, subjectId: warningId },
        ],
      });
    },
    { timeout: 60_000, maxWait: 10_000 },
  );
}

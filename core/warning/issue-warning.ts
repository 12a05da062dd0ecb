// Issuing and updating a lightning warning (issues #8, #20). One transaction records the feed message and what was done
// with it, writes the warning, its audit event, the counts of the units it covers, the durable intent of its first line
// (WarningFanOut) and the 叫应 ladder's timers. Nothing is sent or fanned out here: after commit the warning.fan-out job
// writes the units and their deliveries in set-based chunks and sends them, then the regulators' status card and the
// list of unreachable units (fan-out-chunks.ts), so the POST answers at once. An update raises the version; the copies
// already sent are brought up to date after commit (one update per shared card, a status bar and a short notice for
// work notices), newly covered units get the first line, and the ladder keeps running.
import type { FollowUp } from '../effects';
import { appendAudit } from '../audit';
import { assertRegulatorRegions } from '../authz/person-checks';
import type { PrismaClient, Tx } from '../db';
import { ValidationError } from '../errors';
import { addDeliveries } from '../outbox/add-deliveries';
import { setTimer } from '../timers';
import { armFanOut, uncoveredCounts } from './fan-out-chunks';
import { cancelledBeforeIssue, FEED_OUTCOMES, recordFeedEvent, type FeedOutcome } from './feed-events';
import { workNoticeRoom, type SharedCardFallback } from './first-line';
import { UNIT_SUBJECT, warningCardBase, WARNING_SUBJECT, type WarningBase } from './warning-cards';
import { warningInputSchema, type WarningInput } from './warning-input';
import { LADDER_TIMER, type WarningChange, type WarningOptions } from './warning-change';
import { shortNotices } from './short-notices';

export {
  LADDER_TIMER,
  type RefreshRequest,
  type WarningChange,
  type WarningOptions,
  type WarningSource,
} from './warning-change';
export { shortNotices } from './short-notices';

/** The audit event of an issued or updated warning. */
function auditChange(
  tx: Tx,
  action: 'warning.issued' | 'warning.updated',
  w: { id: string; level: string; regionCodes: string[]; version: number },
  opts: Pick<WarningOptions, 'actorPersonId' | 'source'>,
) {
  return appendAudit(tx, {
    actorPersonId: opts.actorPersonId,
    actorKind: opts.actorPersonId ? 'PERSON' : 'SYSTEM',
    action,
    subjectType: WARNING_SUBJECT,
    subjectId: w.id,
    data: { level: w.level, regionCodes: w.regionCodes, version: w.version, source: opts.source },
  });
}

const sameContent = (
  a: { level: string; regionCodes: string[]; issuedAt: Date; expiresAt: Date; issuer: string; text: string },
  b: typeof a,
) =>
  a.level === b.level &&
  a.regionCodes.join() === b.regionCodes.join() &&
  +a.issuedAt === +b.issuedAt &&
  +a.expiresAt === +b.expiresAt &&
  a.issuer === b.issuer &&
  a.text === b.text;

/** Issues a new warning, or updates one already issued under the same id. */
export async function issueWarning(prisma: PrismaClient, raw: unknown, opts: WarningOptions): Promise<WarningChange> {
  const parsed = warningInputSchema.safeParse(raw);
  if (!parsed.success) throw ValidationError.fromZod(parsed.error, '雷电预警');
  const input = parsed.data;
  const now = opts.now ?? new Date();
  return prisma.$transaction(
    async (tx) => {
      if (opts.source === 'REGULATOR') await assertRegulatorRegions(tx, opts.actorPersonId, input.regionCodes);
      const sentAt = input.sentAt ? new Date(input.sentAt) : now;
      const existing = await tx.lightningWarning.findUnique({ where: { id: input.id } });
      const fields = {
        level: input.level,
        regionCodes: input.regionCodes,
        issuedAt: new Date(input.issuedAt),
        expiresAt: new Date(input.expiresAt),
        issuer: input.issuer,
        text: input.text,
      };
      const done = async (outcome: FeedOutcome, message: string, change: Partial<WarningChange> = {}) => {
        await recordFeedEvent(tx, {
          warningId: input.id,
          kind: 'issue',
          source: opts.source,
          outcome,
          message,
          sentAt,
        });
        const units = await tx.warningUnit.count({ where: { warningId: input.id } });
        // The first line of newly covered units is written and sent by warning.fan-out after commit.
        const version = change.version ?? existing?.version ?? 0;
        const fanOut: FollowUp[] = change.fanOut ? [{ kind: 'warning.fan-out', warningId: input.id, version }] : [];
        return {
          warningId: input.id,
          outcome,
          message,
          status: FEED_OUTCOMES[outcome],
          created: false,
          units,
          deliveryIds: [],
          refresh: [],
          ...change,
          version,
          follow: [...(change.follow ?? []), ...fanOut],
        } satisfies WarningChange;
      };
      if (fields.expiresAt <= now) return done('EXPIRED', '该预警到达时已过有效期，未发送通知');
      if (!existing) {
        if (await cancelledBeforeIssue(tx, input.id))
          return done('CANCELLED_EARLIER', '该预警的解除指令已先到达，预警未发送');
        return issueNew(tx, input, fields, sentAt, now, opts, done);
      }
      if (existing.status === 'CANCELLED') return done('UPDATE_AFTER_CANCEL', '该预警已解除，不能再更新');
      if (sameContent(fields, existing)) return done('REPLAYED', '重复推送：预警内容未变，未再发送');
      if (input.msgType === 'ALERT') return done('STALE', '原预警晚于其更新到达，已按更新后的内容执行，未采用');
      if (existing.sentAt && sentAt < existing.sentAt) return done('STALE', '收到的预警信息早于已生效的版本，未采用');
      return updateExisting(tx, existing.id, existing.version, fields, sentAt, now, opts, done);
    },
    { timeout: 120_000, maxWait: 10_000 },
  );
}

type Fields = Pick<WarningInput, 'level' | 'regionCodes' | 'issuer' | 'text'> & { issuedAt: Date; expiresAt: Date };
type Done = (outcome: FeedOutcome, message: string, change?: Partial<WarningChange>) => Promise<WarningChange>;

async function issueNew(
  tx: Tx,
  input: WarningInput,
  fields: Fields,
  sentAt: Date,
  now: Date,
  opts: WarningOptions,
  done: Done,
): Promise<WarningChange> {
  const ladder = opts.ladders[fields.level];
  const w = await tx.lightningWarning.create({
    data: {
      id: input.id,
      ...fields,
      sentAt,
      ladder: ladder.map((s) => ({ ...s })),
      source: opts.source,
      createdById: opts.actorPersonId,
    },
  });
  await auditChange(tx, 'warning.issued', w, opts);
  const b = await warningCardBase(tx, w.id);
  const { units, reachable, unreachable, fanOut } = await firstLine(tx, b, now, opts);
  for (const [step, s] of ladder.entries()) {
    if (reachable === 0) break;
    await setTimer(tx, {
      kind: LADDER_TIMER,
      subjectType: WARNING_SUBJECT,
      subjectId: w.id,
      dueAt: new Date(now.getTime() + s.afterMs),
      data: { step },
    });
  }
  const outcome: FeedOutcome = units === 0 ? 'NO_UNITS' : input.msgType === 'UPDATE' ? 'ISSUED_FROM_UPDATE' : 'ISSUED';
  const message =
    outcome === 'NO_UNITS'
      ? '预警区域内没有登记的重点单位，未发送通知'
      : `${outcome === 'ISSUED_FROM_UPDATE' ? '更新先于原预警到达，已按更新内容发布' : '已发布'}：${units} 家重点单位${
          unreachable > 0 ? `（其中 ${unreachable} 家无法送达，已告知监管人员）` : ''
        }${reachable > 0 ? sharedCardReplaced(fields.level, opts) : ''}`;
  return done(outcome, message, { created: true, version: w.version, units, fanOut });
}

/** The fallback channels in the outcome's words. */
const FALLBACK_WORDS: Record<SharedCardFallback, string> = {
  ROBOT_OTO: '改用机器人单聊消息（带「收到」按钮）',
  WORK_NOTICE: '改用工作通知，顺延到之后几分钟发送',
};

/**
 * What the outcome says when the level's first line, as configured, would give units the shared
 * card and the tenant has no template for it: which way those units go instead (#19).
 */
function sharedCardReplaced(level: WarningInput['level'], opts: WarningOptions): string {
  const missing = opts.sharedCardMissing;
  if (!missing || !missing.configured[level].includes('CARD_SHARED')) return '';
  const which = missing.configured[level][0] === 'CARD_SHARED' ? '各单位' : '超出工作通知每分钟额度的单位';
  return `；未配置共用预警卡片模板，${which}${FALLBACK_WORDS[missing.fallback]}`;
}

/**
 * The first line to units not yet covered (all of them for a new warning), armed here and written
 * after commit by the warning.fan-out job (fan-out-chunks.ts): only the counts are taken now, so
 * the POST answers at once whatever the number of units.
 */
async function firstLine(tx: Tx, b: WarningBase, now: Date, opts: WarningOptions) {
  const fresh = await uncoveredCounts(tx, b.w.id, b.w.regionCodes);
  const [{ known } = { known: 0n }] = await tx.$queryRaw<Array<{ known: bigint }>>`
    SELECT count(*) AS known FROM "WarningUnit" WHERE "warningId" = ${b.w.id}`;
  if (fresh.units > 0) {
    const room = await workNoticeRoom(tx, opts.workNoticePerMinute, now);
    await armFanOut(tx, b.w, { channels: opts.firstLine[b.w.level], room, total: fresh.units });
  }
  return {
    units: Number(known) + fresh.units,
    reachable: fresh.units - fresh.unreachable,
    unreachable: fresh.unreachable,
    fanOut: fresh.units > 0,
  };
}

async function updateExisting(
  tx: Tx,
  id: string,
  version: number,
  fields: Fields,
  sentAt: Date,
  now: Date,
  opts: WarningOptions,
  done: Done,
): Promise<WarningChange> {
  const w = await tx.lightningWarning.update({
    where: { id, version },
    data: { ...fields, sentAt, version: { increment: 1 } },
  });
  await auditChange(tx, 'warning.updated', w, opts);
  const b = await warningCardBase(tx, w.id);
  // Work notices, DINGs and robot messages cannot show the change themselves: a short notice goes to
  // the units told that way that have not answered (shared cards and unit cards are updated in place).
  const notices = await shortNotices(tx, b, 'UPDATE', ['WORK_NOTICE', 'DING', 'ROBOT_OTO'], now, opts.publicBaseUrl);
  const noticeIds = await addDeliveries(tx, notices);
  const { units, fanOut } = await firstLine(tx, b, now, opts);
  return done('UPDATED', `已更新：${units} 家重点单位`, {
    version: w.version,
    units,
    fanOut,
    deliveryIds: noticeIds,
    follow: [{ kind: 'warning.copies', warningId: w.id, what: 'update', version: w.version }],
    refresh: [
      { subjectType: UNIT_SUBJECT, subjectId: `${w.id}|`, prefix: true },
      { subjectType: WARNING_SUBJECT, subjectId: w.id },
    ],
  });
}

// Data of the warning cards, from the record (level-triggered, like every card refresh): each
// unit's card shows the warning, its category's precautions and whether the unit has confirmed;
// the regulator's card shows the live acknowledgement rate and who is still silent.
import type { Tx, UnitCategory } from '../db';
import type { CardStatus } from '../domain/card-state';
import { NotFoundError } from '../errors';
import { CATEGORY_PRECAUTIONS } from './precautions';

/** Subject of one unit's cards about a warning: `${warningId}|${unitId}`. */
export const UNIT_SUBJECT = 'warning-unit';
/** Subject of the regulators' cards about a warning: the warning id. */
export const WARNING_SUBJECT = 'warning';

/** The subject id of a unit's cards. */
export function unitSubjectId(warningId: string, unitId: string): string {
  return `${warningId}|${unitId}`;
}

const hm = (d: Date) => new Date(d.getTime() + 8 * 3600_000).toISOString().slice(11, 16);
const iso = (d: Date) => new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 19) + '+08:00';

/** Acknowledgement figures of a warning: units notified, units that confirmed, the silent ones. */
export async function warningAckStats(tx: Tx, warningId: string, silentLimit = 10) {
  const prefix = `${warningId}|`;
  const [row] = await tx.$queryRaw<Array<{ notified: bigint; acked: bigint }>>`
    SELECT count(DISTINCT d."subjectId") AS notified,
           count(DISTINCT a."unitId") AS acked
    FROM "Delivery" d
    LEFT JOIN "WarningAck" a ON a."warningId" = ${warningId} AND a."unitId" = substr(d."subjectId", ${prefix.length + 1})
    WHERE d."subjectType" = ${UNIT_SUBJECT} AND starts_with(d."subjectId", ${prefix}) AND d.purpose = 'warning.card'`;
  const silent = await silentUnits(tx, warningId, silentLimit);
  const notified = Number(row?.notified ?? 0);
  const acked = Number(row?.acked ?? 0);
  return { notified, acked, rate: notified === 0 ? 0 : acked / notified, silent };
}

/** Units that received the warning and have not confirmed (name order), at most `limit`. */
export async function silentUnits(
  tx: Tx,
  warningId: string,
  limit: number,
): Promise<Array<{ id: string; name: string; supervisingOrgId: string | null }>> {
  const prefix = `${warningId}|`;
  return tx.$queryRaw`
    SELECT u.id, u.name, u."supervisingOrgId"
    FROM "Unit" u
    WHERE u.id IN (SELECT substr(d."subjectId", ${prefix.length + 1}) FROM "Delivery" d
                   WHERE d."subjectType" = ${UNIT_SUBJECT} AND starts_with(d."subjectId", ${prefix}) AND d.purpose = 'warning.card')
      AND NOT EXISTS (SELECT 1 FROM "WarningAck" a WHERE a."warningId" = ${warningId} AND a."unitId" = u.id)
    ORDER BY u.name
    LIMIT ${limit}`;
}

/** The warning's own fields as every card shows them. */
export async function warningCardBase(tx: Tx, warningId: string) {
  const w = await tx.lightningWarning.findUnique({ where: { id: warningId } });
  if (!w) throw new NotFoundError('WARNING_NOT_FOUND', '该预警不存在');
  const regions = await tx.region.findMany({
    where: { code: { in: w.regionCodes } },
    select: { code: true, name: true },
  });
  const regionNames = w.regionCodes.map((c) => regions.find((r) => r.code === c)?.name ?? c);
  return {
    w,
    base: {
      warningId: w.id,
      level: w.level,
      issuer: w.issuer || '气象台',
      issuedAt: iso(w.issuedAt),
      validUntil: iso(w.expiresAt),
      regionNames,
      text: w.text,
    },
  };
}

function endedStatus(
  w: { status: string; cancelledAt: Date | null; expiresAt: Date },
  now: Date,
): CardStatus | undefined {
  if (w.status === 'CANCELLED')
    return {
      text: `该预警已于 ${hm(w.cancelledAt ?? now)} 解除`,
      actionsVisible: false,
      state: { label: '已解除', tone: 'grey' },
    };
  if (w.expiresAt < now)
    return { text: '该预警已过有效期', actionsVisible: false, state: { label: '已过有效期', tone: 'grey' } };
  return undefined;
}

/** `lightning-warning` data of one unit's card. */
export async function unitWarningCardData(tx: Tx, subjectId: string, now = new Date()) {
  const [warningId, unitId] = subjectId.split('|');
  const b = await warningCardBase(tx, warningId!);
  const unit = await tx.unit.findUniqueOrThrow({ where: { id: unitId! }, select: { name: true, category: true } });
  const ack = await tx.warningAck.findFirst({
    where: { warningId: b.w.id, unitId },
    orderBy: { at: 'asc' },
    include: { person: { select: { name: true } } },
  });
  return unitCardData(b, unit, ack, now);
}

/** The same, from facts already loaded (a fan-out builds thousands at once). */
export function unitCardData(
  { w, base }: Awaited<ReturnType<typeof warningCardBase>>,
  unit: { name: string; category: UnitCategory },
  ack: { at: Date; person: { name: string } } | null,
  now: Date,
) {
  const status: CardStatus | undefined =
    endedStatus(w, now) ??
    (ack
      ? {
          text: `已落实防范措施（${ack.person.name} ${hm(ack.at)} 确认）`,
          actionsVisible: false,
          state: { label: '已落实', tone: 'green' },
        }
      : w.version > 1
        ? {
            text: `预警信息已于 ${hm(w.updatedAt)} 更新，请按最新内容落实`,
            actionsVisible: true,
            state: { label: '已更新', tone: w.level === 'RED' ? 'red' : 'orange' },
          }
        : undefined);
  return { ...base, unit: { name: unit.name.slice(0, 60) }, extraAdvice: CATEGORY_PRECAUTIONS[unit.category], status };
}

/** `lightning-warning` data of the regulators' card: the live acknowledgement rate. */
export async function regulatorWarningCardData(tx: Tx, warningId: string, now = new Date()) {
  const { w, base } = await warningCardBase(tx, warningId);
  const s = await warningAckStats(tx, warningId, 3);
  const pct = s.notified === 0 ? '—' : `${(Math.round(s.rate * 1000) / 10).toFixed(1)}%`;
  let text = `已落实 ${s.acked}/${s.notified} 家（${pct}）`;
  if (s.silent.length > 0)
    text += `；未确认：${s.silent.map((u) => u.name.slice(0, 14)).join('、')}${s.notified - s.acked > s.silent.length ? ` 等 ${s.notified - s.acked} 家` : ''}`;
  const ended = endedStatus(w, now);
  return {
    ...base,
    status: {
      text: (ended ? `${ended.text}。${text}` : text).slice(0, 100),
      actionsVisible: false,
      state: ended?.state,
    },
  };
}

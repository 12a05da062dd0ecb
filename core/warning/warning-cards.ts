// Data of the warning's cards and messages, from the record (level-triggered, like every card
// refresh): a unit's card shows the warning, its category's precautions and whether the unit has
// answered; a shared card (issue #20) shows the warning to everyone and each unit's part in its
// people's private data; the regulators' card shows the live answer rate, who is still silent and
// a link to the 叫应记录. Who was told and who answered is in WarningUnit.
import type { Tx, UnitCategory } from '../db';
import type { CardStatus } from '../domain/card-state';
import { NotFoundError } from '../errors';
import { CATEGORY_PRECAUTIONS } from './precautions';
import { recordPageUrl } from './links';

/** Subject of one unit's messages about a warning: `${warningId}|${unitId}`. */
export const UNIT_SUBJECT = 'warning-unit';
/** Subject of the regulators' cards and notices about a warning: the warning id. */
export const WARNING_SUBJECT = 'warning';

/** The subject id of a unit's messages. */
export function unitSubjectId(warningId: string, unitId: string): string {
  return `${warningId}|${unitId}`;
}

/** The warning and the unit of a unit subject id. */
export function parseUnitSubject(subjectId: string): { warningId: string; unitId: string } {
  const i = subjectId.lastIndexOf('|');
  return { warningId: subjectId.slice(0, i), unitId: subjectId.slice(i + 1) };
}

const hm = (d: Date) => new Date(d.getTime() + 8 * 3600_000).toISOString().slice(11, 16);
const iso = (d: Date) => new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 19) + '+08:00';

/** Answer figures of a warning: units reached, units that answered, the silent and unreachable ones. */
export async function warningAckStats(tx: Tx, warningId: string, silentLimit = 10) {
  const [row] = await tx.$queryRaw<Array<{ notified: bigint; acked: bigint; unreachable: bigint }>>`
    SELECT count(*) FILTER (WHERE unreachable IS NULL) AS notified,
           count(*) FILTER (WHERE unreachable IS NULL AND "answeredAt" IS NOT NULL) AS acked,
           count(*) FILTER (WHERE unreachable IS NOT NULL) AS unreachable
      FROM "WarningUnit" WHERE "warningId" = ${warningId}`;
  const silent = await silentUnits(tx, warningId, silentLimit);
  const notified = Number(row?.notified ?? 0);
  const acked = Number(row?.acked ?? 0);
  return {
    notified,
    acked,
    unreachable: Number(row?.unreachable ?? 0),
    rate: notified === 0 ? 0 : acked / notified,
    silent,
  };
}

/** Units told of the warning that have not answered (fan-out order), at most `limit`. */
export async function silentUnits(
  tx: Tx,
  warningId: string,
  limit: number,
): Promise<Array<{ id: string; name: string; supervisingOrgId: string | null }>> {
  return tx.$queryRaw`
    SELECT u.id, u.name, u."supervisingOrgId"
      FROM "WarningUnit" wu JOIN "Unit" u ON u.id = wu."unitId"
     WHERE wu."warningId" = ${warningId} AND wu."answeredAt" IS NULL AND wu.unreachable IS NULL
     ORDER BY wu.rank
     LIMIT ${limit}`;
}

/** The warning's own fields as every card and message shows them. */
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

/** The base of a warning (what warningCardBase returns). */
export type WarningBase = Awaited<ReturnType<typeof warningCardBase>>;

/** The line every copy shows once the warning is lifted or has expired. */
export function endedStatus(
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

/** The line of a copy whose warning changed since it was sent. */
function updatedStatus(w: { version: number; updatedAt: Date; status: string; level: string }): CardStatus | undefined {
  return w.version > 1 && w.status === 'ACTIVE'
    ? {
        text: `预警信息已于 ${hm(w.updatedAt)} 更新，请按最新内容落实`,
        actionsVisible: true,
        state: { label: '已更新', tone: w.level === 'RED' ? 'red' : 'orange' },
      }
    : undefined;
}

/** The line of a unit that answered. */
export function answeredStatus(a: { at: Date; name: string }): CardStatus {
  return {
    text: `已收到（${a.name} ${hm(a.at)} 确认）`,
    actionsVisible: false,
    state: { label: '已收到', tone: 'green' },
  };
}

/** The status line of a reminder (a call after the first line). */
export function reminderStatus(at: Date): CardStatus {
  return {
    text: `截至 ${hm(at)} 贵单位仍未确认收到，请立即落实防范措施并点击「收到」`,
    actionsVisible: true,
    state: { label: '待确认收到', tone: 'red' },
  };
}

/** `lightning-warning` data of one unit's own card (the design before #20, WARNING_FIRST_LINE CARD). */
export async function unitWarningCardData(tx: Tx, subjectId: string, now = new Date()) {
  const { warningId, unitId } = parseUnitSubject(subjectId);
  const b = await warningCardBase(tx, warningId);
  const unit = await tx.unit.findUniqueOrThrow({ where: { id: unitId }, select: { name: true, category: true } });
  const wu = await tx.warningUnit.findUnique({
    where: { warningId_unitId: { warningId, unitId } },
    select: { answeredAt: true, answeredBy: { select: { name: true } } },
  });
  const ack = wu?.answeredAt ? { at: wu.answeredAt, name: wu.answeredBy?.name ?? '' } : null;
  return unitCardData(b, unit, ack, now);
}

/** The same, from facts already loaded (a fan-out builds thousands at once). */
export function unitCardData(
  { w, base }: WarningBase,
  unit: { name: string; category: UnitCategory },
  ack: { at: Date; name: string } | null,
  now: Date,
  callStatus?: CardStatus | undefined,
) {
  const status = endedStatus(w, now) ?? (ack ? answeredStatus(ack) : (updatedStatus(w) ?? callStatus));
  return { ...base, unit: { name: unit.name.slice(0, 60) }, extraAdvice: CATEGORY_PRECAUTIONS[unit.category], status };
}

/**
 * `lightning-warning` data shared by everyone on a shared card (or a work notice): the warning
 * without any unit; `callStatus` for a reminder; `ackUrl` where the message opens the 「收到」 page.
 */
export function sharedWarningData(
  { w, base }: WarningBase,
  now: Date,
  callStatus?: CardStatus | undefined,
  ackUrl?: string,
) {
  const status = endedStatus(w, now) ?? updatedStatus(w) ?? callStatus;
  return { ...base, status, links: ackUrl ? { ack: ackUrl } : {} };
}

/**
 * A recipient's own part of a shared warning card: what differs in their copy (templates lightningWarningOwnParams).
 */
export interface UnitOwnPart {
  level: WarningBase['base']['level'];
  unit: { name: string };
  extraAdvice: string[];
  status: CardStatus | undefined;
}

/**
 * Each recipient's own part on a shared card, from their unit's own fields: its name, its
 * category's precautions and whether it answered (else the status of the call their delivery was,
 * e.g. a reminder's). A few fields per recipient, not a whole card. Keyed by delivery id.
 */
export async function personalCardData(
  tx: Tx,
  rows: ReadonlyArray<{ id: string; subjectId: string | null; data: unknown }>,
  now: Date,
): Promise<Map<string, UnitOwnPart>> {
  const out = new Map<string, UnitOwnPart>();
  const first = rows.find((r) => r.subjectId);
  if (!first) return out;
  const { warningId } = parseUnitSubject(first.subjectId!);
  const b = await warningCardBase(tx, warningId);
  const unitIds = [...new Set(rows.map((r) => (r.subjectId ? parseUnitSubject(r.subjectId).unitId : '')))];
  const units = await tx.$queryRaw<
    Array<{ id: string; name: string; category: UnitCategory; answeredAt: Date | null; by: string | null }>
  >`
    SELECT u.id, u.name, u.category, wu."answeredAt", p.name AS by
      FROM "Unit" u
      LEFT JOIN "WarningUnit" wu ON wu."unitId" = u.id AND wu."warningId" = ${warningId}
      LEFT JOIN "Person" p ON p.id = wu."answeredById"
     WHERE u.id = ANY(${unitIds}::text[])`;
  const byId = new Map(units.map((u) => [u.id, u]));
  for (const r of rows) {
    const u = r.subjectId ? byId.get(parseUnitSubject(r.subjectId).unitId) : undefined;
    if (!u) continue;
    const call = (r.data ?? {}) as { status?: CardStatus };
    const ack = u.answeredAt ? { at: u.answeredAt, name: u.by ?? '' } : null;
    const d = unitCardData(b, u, ack, now, call.status);
    out.set(r.id, { level: b.base.level, unit: d.unit, extraAdvice: d.extraAdvice, status: d.status });
  }
  return out;
}

/** `lightning-warning` data of the regulators' card: the live answer rate and the 叫应记录. */
export async function regulatorWarningCardData(tx: Tx, warningId: string, now = new Date(), publicBaseUrl?: string) {
  const { w, base } = await warningCardBase(tx, warningId);
  const s = await warningAckStats(tx, warningId, 3);
  const pct = s.notified === 0 ? '—' : `${(Math.round(s.rate * 1000) / 10).toFixed(1)}%`;
  let text = `已收到 ${s.acked}/${s.notified} 家（${pct}）`;
  if (s.silent.length > 0)
    text += `；未应答：${s.silent.map((u) => u.name.slice(0, 14)).join('、')}${s.notified - s.acked > s.silent.length ? ` 等 ${s.notified - s.acked} 家` : ''}`;
  if (s.unreachable > 0) text = `${text}；${s.unreachable} 家无法送达`;
  const ended = endedStatus(w, now);
  return {
    ...base,
    links: publicBaseUrl ? { record: recordPageUrl(publicBaseUrl, warningId) } : {},
    status: {
      text: (ended ? `${ended.text}。${text}` : text).slice(0, 100),
      actionsVisible: false,
      state: ended?.state,
    },
  };
}

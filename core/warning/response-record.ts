// The 叫应记录 of a warning (issue #20; 有叫有应有记录): for each key unit it covered, how it was told,
// every call made to it (the Delivery rows on the unit's subject: what, to whom, when, the outcome
// with DingTalk's refusal in words), whether and when it answered, by whom and through what, and
// whether its regulators were told it stayed silent. The API and the Excel export read this.
import type { Tx, UnitCategory } from '../db';
import { label } from '../domain/labels';
import { regionPrefix } from '../domain/region';
import { NotFoundError } from '../errors';
import { callOfPurpose, type WarningCall } from './links';
import { storedLadder, LADDER_ACTION_LABELS } from './ladder';
import { UNIT_SUBJECT } from './warning-cards';

/** Which units a reader may see: everything, or units in these regions / these units. */
export interface RecordScope {
  all: boolean;
  regionCodes: string[];
  unitIds: string[];
}

/** Chinese names of the calls. */
export const CALL_LABELS: Record<WarningCall | 'CANCEL' | 'OTHER', string> = {
  FIRST_LINE: '首次通知',
  REMINDER: '再次提醒',
  DING: '应用内 DING',
  SMS: '短信 DING',
  CALL: '电话 DING',
  UPDATE: '预警更新通知',
  CANCEL: '预警解除通知',
  OTHER: '其他',
};

const ANSWER_PLACE: Record<string, string> = {
  WORK_NOTICE: '工作通知链接',
  DING: 'DING 消息链接',
  DING_SMS: '短信链接',
  DING_CALL: '电话 DING 消息链接',
  CARD: '卡片「收到」按钮',
  CARD_SHARED: '卡片「收到」按钮',
  ROBOT_OTO: '机器人消息「收到」按钮',
};

/** Chinese of an answer's `via` (`<call>/<where>`, or MINIAPP). */
export function viaLabel(via: string | null): string {
  if (!via) return '';
  if (via === 'MINIAPP') return '小程序';
  const [call, place] = via.split('/');
  return `${CALL_LABELS[call as WarningCall] ?? call}（${ANSWER_PLACE[place ?? ''] ?? '小程序'}）`;
}

/** One call made to a unit. */
export interface RecordCall {
  call: string;
  channel: string;
  to: string;
  /** When it was sent (or written, when it was not). */
  at: Date;
  status: string;
  /** Why it failed or was not sent, in words. */
  error: string | null;
}

/** One unit of the record. */
export interface RecordUnit {
  unitId: string;
  name: string;
  uscc: string;
  region: string;
  category: string;
  /** How the first line went (channel), or why it could not. */
  firstLine: string;
  unreachable: string | null;
  /** The last ladder step that called the unit. */
  lastCall: string;
  calledAt: Date | null;
  answeredAt: Date | null;
  answeredBy: string | null;
  answeredVia: string | null;
  regulatorToldAt: Date | null;
  calls: RecordCall[];
}

/** Figures of the record (within the reader's scope). */
export interface RecordSummary {
  units: number;
  unreachable: number;
  /** Units a first-line message reached (DingTalk accepted it). */
  reached: number;
  answered: number;
  silent: number;
  regulatorTold: number;
  /** Answers by the call they came from (Chinese label → units). */
  answeredByCall: Record<string, number>;
}

/** The 叫应记录: the warning, its figures, and a page of units. */
export interface ResponseRecord {
  warning: {
    id: string;
    level: string;
    status: string;
    issuer: string;
    issuedAt: Date;
    expiresAt: Date;
    cancelledAt: Date | null;
    regionCodes: string[];
    text: string;
    /** The ladder in force (Chinese, with minutes). */
    ladder: string[];
  };
  summary: RecordSummary;
  units: RecordUnit[];
  total: number;
}

function scopeSql(scope: RecordScope) {
  return {
    all: scope.all,
    patterns: scope.regionCodes.map((c) => `${regionPrefix(c)}%`),
    ids: scope.unitIds,
  };
}

/** The record of a warning, for units in `scope`; `silentOnly` lists only units that did not answer. */
export async function responseRecord(
  tx: Tx,
  warningId: string,
  scope: RecordScope,
  opts: { silentOnly?: boolean; offset?: number; limit?: number } = {},
): Promise<ResponseRecord> {
  const w = await tx.lightningWarning.findUnique({ where: { id: warningId } });
  if (!w) throw new NotFoundError('WARNING_NOT_FOUND', '该预警不存在');
  const s = scopeSql(scope);
  const [sum] = await tx.$queryRaw<
    Array<{ units: bigint; unreachable: bigint; reached: bigint; answered: bigint; silent: bigint; told: bigint }>
  >`
    SELECT count(*) AS units,
           count(*) FILTER (WHERE wu.unreachable IS NOT NULL) AS unreachable,
           count(*) FILTER (WHERE EXISTS (
             SELECT 1 FROM "Delivery" d
              WHERE d."subjectType" = ${UNIT_SUBJECT} AND d."subjectId" = wu."warningId" || '|' || wu."unitId"
                AND d.purpose = 'warning.first-line' AND d.status = 'SENT')) AS reached,
           count(*) FILTER (WHERE wu."answeredAt" IS NOT NULL) AS answered,
           count(*) FILTER (WHERE wu."answeredAt" IS NULL AND wu.unreachable IS NULL) AS silent,
           count(*) FILTER (WHERE wu."regulatorToldAt" IS NOT NULL) AS told
      FROM "WarningUnit" wu JOIN "Unit" u ON u.id = wu."unitId"
     WHERE wu."warningId" = ${warningId}
       AND (${s.all} OR u.id = ANY(${s.ids}::text[]) OR u."regionCode" LIKE ANY(${s.patterns}::text[]))`;
  const byVia = await tx.$queryRaw<Array<{ call: string; n: bigint }>>`
    SELECT split_part(wu."answeredVia", '/', 1) AS call, count(*) AS n
      FROM "WarningUnit" wu JOIN "Unit" u ON u.id = wu."unitId"
     WHERE wu."warningId" = ${warningId} AND wu."answeredAt" IS NOT NULL
       AND (${s.all} OR u.id = ANY(${s.ids}::text[]) OR u."regionCode" LIKE ANY(${s.patterns}::text[]))
     GROUP BY 1 ORDER BY 1`;
  const silentOnly = opts.silentOnly ?? false;
  const rows = await tx.$queryRaw<
    Array<{
      unitId: string;
      name: string;
      uscc: string;
      regionCode: string;
      regionName: string | null;
      category: UnitCategory;
      channel: string;
      unreachable: string | null;
      step: number;
      calledAt: Date | null;
      answeredAt: Date | null;
      answeredBy: string | null;
      answeredVia: string | null;
      regulatorToldAt: Date | null;
      total: bigint;
    }>
  >`
    SELECT wu."unitId", u.name, u.uscc, u."regionCode", r.name AS "regionName", u.category, wu.channel,
           wu.unreachable, wu.step, wu."calledAt", wu."answeredAt", p.name AS "answeredBy", wu."answeredVia",
           wu."regulatorToldAt", count(*) OVER () AS total
      FROM "WarningUnit" wu JOIN "Unit" u ON u.id = wu."unitId"
      LEFT JOIN "Region" r ON r.code = u."regionCode"
      LEFT JOIN "Person" p ON p.id = wu."answeredById"
     WHERE wu."warningId" = ${warningId}
       AND (${s.all} OR u.id = ANY(${s.ids}::text[]) OR u."regionCode" LIKE ANY(${s.patterns}::text[]))
       AND (NOT ${silentOnly} OR (wu."answeredAt" IS NULL))
     ORDER BY wu.rank
     OFFSET ${opts.offset ?? 0} LIMIT ${opts.limit ?? 1_000_000}`;
  const calls = await tx.$queryRaw<
    Array<{
      subjectId: string;
      purpose: string;
      channel: string;
      status: string;
      sentAt: Date | null;
      createdAt: Date;
      errorMessage: string | null;
      to: string | null;
    }>
  >`
    SELECT d."subjectId", d.purpose, d.channel::text AS channel, d.status::text AS status, d."sentAt", d."createdAt",
           d."errorMessage", p.name AS to
      FROM "Delivery" d LEFT JOIN "Person" p ON p.id = d."recipientPersonId"
     WHERE d."subjectType" = ${UNIT_SUBJECT}
       AND d."subjectId" = ANY(${rows.map((r) => `${warningId}|${r.unitId}`)}::text[])
     ORDER BY d."createdAt", d.id`;
  const callsOf = new Map<string, RecordCall[]>();
  for (const c of calls) {
    const unitId = c.subjectId.slice(c.subjectId.lastIndexOf('|') + 1);
    const call = callOfPurpose(c.purpose) ?? (c.purpose === 'warning.cancel-notice' ? 'CANCEL' : 'OTHER');
    const list = callsOf.get(unitId) ?? [];
    list.push({
      call: `${CALL_LABELS[call]}${c.purpose.endsWith('.fallback') ? '（改用应用内 DING）' : ''}`,
      channel: label('DeliveryChannel', c.channel),
      to: c.to ?? '',
      at: c.sentAt ?? c.createdAt,
      status: label('DeliveryStatus', c.status),
      error: c.status === 'SENT' ? null : c.errorMessage,
    });
    callsOf.set(unitId, list);
  }
  const ladder = storedLadder(w.ladder);
  return {
    warning: {
      id: w.id,
      level: label('WarningLevel', w.level),
      status: label('WarningStatus', w.status),
      issuer: w.issuer,
      issuedAt: w.issuedAt,
      expiresAt: w.expiresAt,
      cancelledAt: w.cancelledAt,
      regionCodes: w.regionCodes,
      text: w.text,
      ladder: ladder.map((st) => `+${Math.round(st.afterMs / 60_000)} 分钟 ${LADDER_ACTION_LABELS[st.action]}`),
    },
    summary: {
      units: Number(sum?.units ?? 0),
      unreachable: Number(sum?.unreachable ?? 0),
      reached: Number(sum?.reached ?? 0),
      answered: Number(sum?.answered ?? 0),
      silent: Number(sum?.silent ?? 0),
      regulatorTold: Number(sum?.told ?? 0),
      answeredByCall: Object.fromEntries(
        byVia.map((v) => [
          v.call === 'MINIAPP' ? '小程序' : (CALL_LABELS[v.call as WarningCall] ?? v.call),
          Number(v.n),
        ]),
      ),
    },
    total: Number(rows[0]?.total ?? 0),
    units: rows.map((r) => ({
      unitId: r.unitId,
      name: r.name,
      uscc: r.uscc,
      region: r.regionName ?? r.regionCode,
      category: label('UnitCategory', r.category),
      firstLine: r.channel ? label('DeliveryChannel', r.channel) : '未发送',
      unreachable: r.unreachable,
      lastCall: r.step === 0 ? CALL_LABELS.FIRST_LINE : LADDER_ACTION_LABELS[ladder[r.step - 1]?.action ?? 'remind'],
      calledAt: r.calledAt,
      answeredAt: r.answeredAt,
      answeredBy: r.answeredBy,
      answeredVia: viaLabel(r.answeredVia),
      regulatorToldAt: r.regulatorToldAt,
      calls: callsOf.get(r.unitId) ?? [],
    })),
  };
}

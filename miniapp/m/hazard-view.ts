// How the mini-app shows a hazard: enum values plus their Chinese labels, dates in Beijing time,
// a deadline sentence a person can read at a glance, and how urgent it is (UX rules: overdue and
// escalated first, in red, with 「已逾期 N 天」 in words).
import type { HazardGrade, HazardSource, HazardStatus, HazardType } from '../../core/db/generated/enums';
import { label } from '../../core/domain/labels';
import { shanghaiDate } from '../../core/domain/working-days';

/** The fields of a hazard row the views read. */
export interface HazardRow {
  id: string;
  type: HazardType;
  grade: HazardGrade;
  status: HazardStatus;
  source: HazardSource;
  description: string;
  foundAt: Date;
  deadline: Date;
  createdAt: Date;
  unit: { id: string; name: string; regionCode: string };
}

/** Statuses whose deadline still runs against the unit (escalated ones are the most overdue of all). */
const OPEN: readonly HazardStatus[] = ['PENDING', 'FIXING', 'OVERDUE', 'ESCALATED'];

function dayDiff(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** "2025-06-01 前整改（剩余 3 天）", "已逾期 2 天（期限 …）" or, once submitted/closed, "整改期限 …". */
export function deadlineText(status: HazardStatus, deadline: Date, now: Date): string {
  const date = shanghaiDate(deadline);
  if (!OPEN.includes(status)) return `整改期限 ${date}`;
  const days = dayDiff(shanghaiDate(now), date);
  if (days > 0) return `${date} 前整改（剩余 ${days} 天）`;
  if (days === 0) return `今天到期（${date}）`;
  return `已逾期 ${-days} 天（期限 ${date}）`;
}

/** Whole calendar days past the deadline (Beijing dates), 0 when not overdue or no longer open. */
export function overdueDays(status: HazardStatus, deadline: Date, now: Date): number {
  if (!OPEN.includes(status)) return 0;
  return Math.max(0, dayDiff(shanghaiDate(deadline), shanghaiDate(now)));
}

/**
 * Sort key, most urgent first: escalated, then overdue (longest first), then open by deadline,
 * then submitted, then closed.
 */
export function urgencyRank(h: { status: HazardStatus; deadline: Date }, now: Date): [number, number] {
  const late = OPEN.includes(h.status) && h.deadline.getTime() < now.getTime();
  const tier = h.status === 'ESCALATED' ? 0 : late ? 1 : OPEN.includes(h.status) ? 2 : h.status === 'SUBMITTED' ? 3 : 4;
  return [tier, h.deadline.getTime()];
}

/** Compares two hazards by urgency (for Array.sort). */
export function byUrgency(now: Date) {
  return (a: { status: HazardStatus; deadline: Date }, b: { status: HazardStatus; deadline: Date }): number => {
    const [ta, da] = urgencyRank(a, now);
    const [tb, db] = urgencyRank(b, now);
    return ta - tb || da - db;
  };
}

/** One hazard in a list. */
export function hazardSummary(h: HazardRow, now: Date) {
  const late = OPEN.includes(h.status) && h.deadline.getTime() < now.getTime();
  return {
    id: h.id,
    unit: { id: h.unit.id, name: h.unit.name },
    type: h.type,
    typeLabel: label('HazardType', h.type),
    grade: h.grade,
    gradeLabel: label('HazardGrade', h.grade),
    status: h.status,
    statusLabel: label('HazardStatus', h.status),
    source: h.source,
    sourceLabel: label('HazardSource', h.source),
    description: h.description,
    foundAt: h.foundAt.toISOString(),
    foundDate: shanghaiDate(h.foundAt),
    deadline: h.deadline.toISOString(),
    deadlineDate: shanghaiDate(h.deadline),
    deadlineText: deadlineText(h.status, h.deadline, now),
    overdue: late,
    overdueDays: late ? Math.max(1, overdueDays(h.status, h.deadline, now)) : 0,
    escalated: h.status === 'ESCALATED',
    urgent: late || h.status === 'ESCALATED',
    createdAt: h.createdAt.toISOString(),
  };
}

// 一表通查 (国办发〔2024〕54号: one combined checklist per visit): when a regulator's inspection
// begins on site, every item due for that unit joins the category checklist — the periodic-test
// follow-ups (an overdue test, a test due soon with no plan filed, failed items of the latest report
// that never became hazards) and each open hazard to re-check. The items are fixed when the visit
// begins (Inspection.extraItems), like the checklist version, so the record shows what was asked.
import type { Tx } from '../db';
import type { HazardType } from '../db/generated/enums';
import { label } from '../domain/labels';
import { addCalendarDays, shanghaiDate } from '../domain/working-days';
import { hazardNo } from '../hazard/hazard-no';
import { HAZARD_OF_ITEM } from '../test-report/file-hazards';
import type { ChecklistItem } from './checklist-templates';

/** An item the visit adds to the category checklist. */
export interface ExtraItem extends ChecklistItem {
  /** 'test': a periodic-test follow-up (a failure files a hazard); 'hazard': an open hazard to re-check. */
  section: 'test' | 'hazard';
  /** The open hazard re-checked (its result is linked to it; no second hazard is filed). */
  hazardId?: string;
}

const ORDER_24 = '《防雷减灾管理办法》（中国气象局令第24号）第十九条';
const GB_50057 = 'GB 50057《建筑物防雷设计规范》';
/** A periodic test due within this many days with no testing plan filed is a follow-up item. */
const DUE_SOON_DAYS = 30;
/** At most this many failed measurements of the latest report are listed. */
const MAX_MEASUREMENTS = 5;
const OPEN = ['PENDING', 'FIXING', 'SUBMITTED', 'OVERDUE', 'ESCALATED'] as const;

/** The items due for a unit now, in the order the checklist shows them (tests, then hazards). */
export async function combinedItems(tx: Tx, unitId: string, now: Date): Promise<ExtraItem[]> {
  const unit = await tx.unit.findUniqueOrThrow({
    where: { id: unitId },
    select: { nextDueDate: true, lastTestDate: true },
  });
  const items: ExtraItem[] = [];
  const test = (key: string, text: string, hazardType: HazardType, legalBasis = ORDER_24): ExtraItem => ({
    key,
    text,
    legalBasis,
    hazardType,
    grade: 'GENERAL',
    deadlineWorkingDays: 10,
    weight: 10,
    section: 'test',
  });
  if (unit.nextDueDate && unit.nextDueDate < now) {
    items.push(
      test(
        'x-test-overdue',
        `定期检测已逾期（应于 ${shanghaiDate(unit.nextDueDate)} 前检测）：核查是否已委托有资质的检测机构检测`,
        'OVERDUE',
      ),
    );
  } else if (unit.nextDueDate && unit.nextDueDate < addCalendarDays(now, DUE_SOON_DAYS)) {
    const planned = await tx.testPlan.count({ where: { unitId, status: { in: ['PLANNED', 'ON_SITE'] } } });
    if (planned === 0) {
      items.push(
        test(
          'x-test-due',
          `定期检测将于 ${shanghaiDate(unit.nextDueDate)} 到期，尚无检测计划：核查是否已委托有资质的检测机构`,
          'OVERDUE',
        ),
      );
    }
  }
  const latest = await tx.testReport.findFirst({
    where: { unitId },
    orderBy: { inspectionDate: 'desc' },
    select: { reportNo: true, measurements: true, _count: { select: { hazards: true } } },
  });
  // Failed measurements of the latest report, unless they were filed as hazards (re-checked below).
  if (latest && latest._count.hazards === 0) {
    const failed = (
      latest.measurements as Array<{ item: string; location: string; value: number; unit: string; pass: boolean }>
    )
      .filter((m) => !m.pass)
      .slice(0, MAX_MEASUREMENTS);
    failed.forEach((m, n) =>
      items.push(
        test(
          `x-test-m${n + 1}`,
          `检测报告 ${latest.reportNo} 不合格项复核：${m.location}${m.item} ${m.value} ${m.unit}，核查是否已整改`,
          HAZARD_OF_ITEM[m.item as keyof typeof HAZARD_OF_ITEM] ?? 'OTHER',
          GB_50057,
        ),
      ),
    );
  }
  const hazards = await tx.hazard.findMany({
    where: { unitId, status: { in: [...OPEN] } },
    orderBy: [{ deadline: 'asc' }, { id: 'asc' }],
    select: { id: true, type: true, grade: true, description: true, deadline: true, legalBasis: true },
  });
  hazards.forEach((h, n) =>
    items.push({
      key: `x-hazard-${n + 1}`,
      text: `复查隐患 ${hazardNo(h.id)}（${label('HazardType', h.type)}，整改期限 ${shanghaiDate(h.deadline)}）：${h.description.slice(0, 80)}`,
      legalBasis: (h.legalBasis ?? ORDER_24).slice(0, 200),
      hazardType: h.type,
      grade: h.grade,
      deadlineWorkingDays: 10,
      weight: 10,
      section: 'hazard',
      hazardId: h.id,
    }),
  );
  return items;
}

/** The stored extra items of an inspection (Inspection.extraItems). */
export function storedExtraItems(json: unknown): ExtraItem[] {
  return Array.isArray(json) ? (json as ExtraItem[]) : [];
}

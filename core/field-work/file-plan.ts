// Filing a testing plan (检测计划, 浙里防雷安全: an agency files its plan before it tests a key unit).
// Each rule refuses with a stable code and a Chinese reason naming the field, and writes nothing:
// the date is today or later; the agency's qualification covers the unit's lightning-protection
// class (qualification.ts) and its certificate is valid on that day; the testers are the agency's
// registered testers, at least TEST_PLAN_MIN_TESTERS, each certified on that day; and no other
// plan holds the unit (another agency's open plan, or this agency's own). The plan, its audit event
// and the cards to the unit's managers and its regulators are written in one transaction.
import { z } from 'zod';
import { appendAudit } from '../audit';
import type { PrismaClient, Tx } from '../db';
import { lpClassLabel } from '../domain/labels';
import { addCalendarDays, addWorkingDays, shanghaiDate, startOfShanghaiDay } from '../domain/working-days';
import { ConflictError, NotFoundError, RuleError, ValidationError } from '../errors';
import { unitPeople } from '../hazard/people';
import { regulatorsOfUnit } from '../org/regulators';
import { addDeliveries } from '../outbox/add-deliveries';
import { testPlanInputSchema } from './plan-input';
import { agencyLevelLabel, qualificationProblem, type LevelClasses } from './qualification';

/** Settings of the plan rules (core/config.ts). */
export interface PlanRules {
  levelClasses: LevelClasses;
  minTesters: number;
  /** Days after its date that a plan never started on site stops holding the unit. */
  staleDays: number;
  /** Working days after the field record (or planned date) the report is due. */
  dueWorkingDays: number;
}

/** Who files: the agency, and the staff member when filed in the mini-app. */
export interface PlanActor {
  agencyId: string;
  personId?: string;
  via: 'miniapp' | 'api';
}

/** What a filing produced. */
export interface FilePlanResult {
  planId: string;
  reportDueAt: Date;
  deliveryIds: string[];
}

/** Farthest ahead a plan may be filed. */
const MAX_AHEAD_DAYS = 366;

/** Plans that still hold a unit: started on site, or planned and not yet stale. */
export function openPlanWhere(now: Date, staleDays: number) {
  return {
    OR: [
      { status: 'ON_SITE' as const },
      { status: 'PLANNED' as const, plannedDate: { gte: startOfShanghaiDay(addCalendarDays(now, -staleDays)) } },
    ],
  };
}

/** Validates and files a plan; see the file comment. */
export async function fileTestPlan(
  prisma: PrismaClient,
  actor: PlanActor,
  raw: unknown,
  opts: { rules: PlanRules; publicBaseUrl: string; now?: Date },
): Promise<FilePlanResult> {
  const parsed = testPlanInputSchema.safeParse(raw, { error: z.locales.zhCN().localeError });
  if (!parsed.success) throw ValidationError.fromZod(parsed.error, '检测计划');
  const input = parsed.data;
  const now = opts.now ?? new Date();
  const today = shanghaiDate(now);
  if (input.plannedDate < today) {
    throw new RuleError(
      'PLAN_DATE_PAST',
      `计划检测日期 ${input.plannedDate} 已过去，请选择今天（${today}）或以后的日期`,
      'plannedDate',
    );
  }
  if (input.plannedDate > shanghaiDate(addCalendarDays(now, MAX_AHEAD_DAYS))) {
    throw new RuleError('PLAN_DATE_TOO_FAR', `计划检测日期不能晚于 ${MAX_AHEAD_DAYS} 天以后`, 'plannedDate');
  }
  const planned = startOfShanghaiDay(input.plannedDate);
  const rules = opts.rules;

  return prisma.$transaction(async (tx) => {
    const agency = await tx.agency.findUnique({ where: { id: actor.agencyId } });
    if (!agency) throw new NotFoundError('AGENCY_NOT_FOUND', '检测机构不存在');
    const unit = await tx.unit.findUnique({ where: { uscc: input.unitUscc } });
    if (!unit || !unit.active) {
      throw new RuleError(
        'UNIT_NOT_FOUND',
        `未找到统一社会信用代码为 ${input.unitUscc} 的重点单位，请核对后重新填写`,
        'unitUscc',
      );
    }
    if (agency.level !== 'A' && agency.level !== 'B') throw new RuleError('AGENCY_NOT_QUALIFIED', '检测机构资质不明');
    const problem = qualificationProblem(agency.level, unit.lpClass, rules.levelClasses);
    if (problem) throw new RuleError('AGENCY_NOT_QUALIFIED', problem, 'unitUscc', { lpClass: unit.lpClass });
    if (agency.certValidUntil < planned) {
      throw new RuleError(
        'AGENCY_CERT_EXPIRED',
        `本机构资质证书有效期至 ${shanghaiDate(agency.certValidUntil)}，计划检测日期 ${input.plannedDate} 时已过期，请先办理延续`,
        'plannedDate',
      );
    }
    const testers = await checkTesters(tx, agency.id, input.testerIds, input.plannedDate, rules.minTesters);

    // One filing per unit at a time: the unit's row lock orders concurrent filings, so two
    // agencies cannot both find the unit free.
    await tx.$queryRaw`SELECT id FROM "Unit" WHERE id = ${unit.id} FOR UPDATE`;
    const holding = await tx.testPlan.findFirst({
      where: { unitId: unit.id, ...openPlanWhere(now, rules.staleDays) },
      orderBy: { plannedDate: 'asc' },
      select: { id: true, agencyId: true, plannedDate: true, agency: { select: { name: true } } },
    });
    if (holding) {
      const day = shanghaiDate(holding.plannedDate);
      if (holding.agencyId === agency.id) {
        const message = `本机构已有该单位 ${day} 的检测计划尚未完成，请勿重复提交`;
        throw new ConflictError('PLAN_EXISTS', message, {
          field: 'unitUscc',
          fields: [{ path: 'unitUscc', message }],
          planId: holding.id,
        });
      }
      const message = `${holding.agency.name} 已提交该单位 ${day} 的检测计划且尚未完成，同一单位不能同时由两家机构检测`;
      throw new ConflictError('PLAN_OVERLAP', message, { field: 'unitUscc', fields: [{ path: 'unitUscc', message }] });
    }

    const reportDueAt = addWorkingDays(input.plannedDate, rules.dueWorkingDays);
    const plan = await tx.testPlan.create({
      data: {
        agencyId: agency.id,
        unitId: unit.id,
        plannedDate: planned,
        testerIds: testers.map((t) => t.id),
        installations: [...new Set(input.installations)],
        filedById: actor.personId ?? null,
        via: actor.via,
        reportDueAt,
      },
    });
    await appendAudit(tx, {
      actorKind: actor.personId ? 'PERSON' : 'SYSTEM',
      actorPersonId: actor.personId,
      action: 'test-plan.filed',
      subjectType: 'test-plan',
      subjectId: plan.id,
      data: {
        via: actor.via,
        agencyId: agency.id,
        unitId: unit.id,
        plannedDate: input.plannedDate,
        testerIds: plan.testerIds,
        installations: plan.installations,
        reportDueAt: shanghaiDate(reportDueAt),
      },
    });

    const people = await unitPeople(tx, unit.id);
    const unitSide = people.managers.length > 0 ? people.managers : people.legalReps;
    const regulators = await regulatorsOfUnit(tx, unit);
    const data = {
      planId: plan.id,
      unit: { name: unit.name },
      lpClass: lpClassLabel(unit.lpClass),
      agency: { name: agency.name, level: agencyLevelLabel(agency.level) },
      plannedDate: input.plannedDate,
      testers: testers.map((t) => t.name),
      installations: plan.installations,
      reportDueDate: shanghaiDate(reportDueAt),
      links: { detail: `${opts.publicBaseUrl.replace(/\/$/, '')}/m/units/${encodeURIComponent(unit.id)}` },
    };
    const deliveryIds = await addDeliveries(
      tx,
      [...new Set([...unitSide, ...regulators])].map((id) => ({
        purpose: 'test-plan.filed',
        channel: 'CARD' as const,
        template: 'test-plan',
        data,
        recipientPersonId: id,
        priority: 5,
        subjectType: 'test-plan',
        subjectId: plan.id,
      })),
    );
    return { planId: plan.id, reportDueAt, deliveryIds };
  });
}

/**
 * The plan's testers: registered testers of this agency, at least `min`, each with a certificate
 * valid on the planned day (a certificate valid until a day holds through that day).
 */
async function checkTesters(tx: Tx, agencyId: string, ids: string[], day: string, min: number) {
  const wanted = [...new Set(ids)];
  const found = await tx.tester.findMany({
    where: { id: { in: wanted } },
    select: { id: true, name: true, agencyId: true, certNo: true, certValidUntil: true },
  });
  const unknown = wanted.find((id) => !found.some((t) => t.id === id && t.agencyId === agencyId));
  if (unknown) {
    throw new RuleError(
      'TESTER_NOT_REGISTERED',
      '所选检测人员不是本机构登记在册的检测人员，请刷新页面后重新选择',
      'testerIds',
      { testerId: unknown },
    );
  }
  if (wanted.length < min) {
    throw new RuleError(
      'TOO_FEW_TESTERS',
      `现场检测至少需要 ${min} 名检测人员，请再选择 ${min - wanted.length} 名`,
      'testerIds',
    );
  }
  const start = startOfShanghaiDay(day);
  const expired = found.filter((t) => t.certValidUntil < start);
  if (expired.length > 0) {
    const names = expired.map((t) => `${t.name}（证书 ${t.certNo}，有效期至 ${shanghaiDate(t.certValidUntil)}）`);
    throw new RuleError(
      'TESTER_CERT_EXPIRED',
      `检测人员 ${names.join('、')}的资格证书在计划检测日期 ${day} 已过期，请更换检测人员`,
      'testerIds',
      { testerIds: expired.map((t) => t.id) },
    );
  }
  return wanted.map((id) => found.find((t) => t.id === id)!);
}

// Filing a hazard (查): the hazard, its audit event and its alert deliveries are written in one
// transaction, so a notice exists exactly when the hazard does. Deadlines are in working days, Chinese calendar.
import { z } from 'zod';
import { appendAudit } from '../audit';
import { assertRegulatorFor } from '../authz/person-checks';
import type { PrismaClient, Tx } from '../db';
import { addWorkingDays } from '../domain/working-days';
import { NotFoundError, ValidationError } from '../errors';
import { addDeliveries, type NewDelivery } from '../outbox/add-deliveries';
import { recomputeRiskCode } from '../risk/risk-code';
import { resolveDeadline, zDeadline } from './deadline';
import { hazardAlertData } from './notice-data';
import type { PlanSettings } from './plan';
import { DEFAULT_PLAN_SETTINGS, syncHazardTimers } from './schedule';
import { hazardCards, type Via } from './transition';
import type { CommandResult } from './rectification';

/** Input of fileHazard, validated at the edge. */
export const fileHazardInput = z
  .object({
    unitId: z.string().min(1, '请选择重点单位'),
    type: z.enum([
      'EARTH_R',
      'BONDING',
      'SPD_FAIL',
      'AIR_TERM',
      'DOWN_COND',
      'OVERDUE',
      'NO_PERMIT',
      'UNQUALIFIED_AGENCY',
      'NO_SYSTEM',
      'NO_PLAN',
      'ARCHIVE',
      'OTHER',
    ]),
    grade: z.enum(['GENERAL', 'MAJOR']),
    source: z.enum(['TEST', 'ENFORCEMENT', 'SELF_CHECK', 'REPORT', 'SYSTEM']).default('ENFORCEMENT'),
    description: z.string().trim().min(4, '请描述隐患情况（至少 4 个字）').max(300, '隐患描述不超过 300 字'),
    photos: z
      .array(z.object({ url: z.string().url() }))
      .max(9)
      .default([]),
    legalBasis: z.string().trim().max(200).optional(),
    /** The period in working days (Chinese calendar) ... */
    deadlineWorkingDays: z
      .number()
      .int()
      .min(1, '整改期限至少 1 个工作日')
      .max(120, '整改期限不超过 120 个工作日')
      .optional(),
    /** ... or a fixed deadline (a day, or an instant) as written in the 整改通知书. */
    deadline: zDeadline.optional(),
    testReportId: z.string().optional(),
  })
  .refine((v) => (v.deadlineWorkingDays === undefined) !== (v.deadline === undefined), {
    message: '请填写整改期限（工作日数或截止日期，二选一）',
    path: ['deadlineWorkingDays'],
  });

/** Options of a filing. */
export interface FileHazardOptions {
  publicBaseUrl: string;
  now?: Date;
  /** Where the filing came from (audited); default 'api'. */
  via?: Via;
  /** The site's settings the hazard takes its plan from (config.hazard); default DEFAULT_PLAN_SETTINGS. */
  plan?: PlanSettings;
}

/** Options of a filing inside the caller's transaction. */
export interface FileHazardTxOptions extends FileHazardOptions {
  /**
   * Who may file for the unit; the default lets regulators of the unit's jurisdiction only.
   * Callers that checked the filer themselves (a unit's own code inspection, issue #7) pass theirs.
   */
  authorize?: (tx: Tx, unit: { id: string; regionCode: string }) => Promise<void>;
}

/** Files a hazard and queues its alerts; returns the hazard id and the deliveries to dispatch. */
export async function fileHazard(
  prisma: PrismaClient,
  filedById: string,
  raw: unknown,
  opts: FileHazardOptions,
): Promise<CommandResult> {
  const input = parseFileHazardInput(raw);
  return prisma.$transaction(async (tx) => fileHazardTx(tx, filedById, input, opts));
}

function parseFileHazardInput(raw: unknown) {
  const parsed = fileHazardInput.safeParse(raw);
  if (!parsed.success) throw ValidationError.fromZod(parsed.error, '隐患登记信息');
  return parsed.data;
}

/**
 * fileHazard inside the caller's transaction, so that the hazard commits (or not) together with
 * what produced it (a failed inspection item, a test report).
 */
export async function fileHazardTx(
  tx: Tx,
  filedById: string,
  raw: unknown,
  opts: FileHazardTxOptions,
): Promise<CommandResult> {
  const input = parseFileHazardInput(raw);
  const now = opts.now ?? new Date();
  const deadline = input.deadline
    ? resolveDeadline(input.deadline, now)
    : addWorkingDays(now, input.deadlineWorkingDays!);
  const unit = await tx.unit.findUnique({ where: { id: input.unitId } });
  if (!unit) throw new NotFoundError('UNIT_NOT_FOUND', '重点单位不存在');
  if (opts.authorize) await opts.authorize(tx, unit);
  else await assertRegulatorFor(tx, filedById, unit.regionCode);
  const hazard = await tx.hazard.create({
    data: {
      unitId: unit.id,
      source: input.source,
      type: input.type,
      grade: input.grade,
      description: input.description,
      photos: input.photos,
      legalBasis: input.legalBasis,
      foundAt: now,
      deadline,
      deadlineWorkingDays: input.deadlineWorkingDays,
      filedById,
      testReportId: input.testReportId,
    },
  });
  await appendAudit(tx, {
    actorPersonId: filedById,
    actorKind: 'PERSON',
    action: 'hazard.filed',
    subjectType: 'hazard',
    subjectId: hazard.id,
    data: {
      via: opts.via ?? 'api',
      unitId: unit.id,
      type: input.type,
      grade: input.grade,
      source: input.source,
      before: null,
      after: { status: hazard.status, deadline: hazard.deadline.toISOString() },
    },
  });
  // Roles are filtered here, not in SQL: the PGlite adapter sends enum-array parameters
  // (`hasSome`) as a plain string, and a unit has only a handful of people.
  const people = (
    await tx.person.findMany({ where: { unitId: unit.id, active: true }, select: { id: true, roles: true } })
  ).filter((p) => p.roles.includes('UNIT_MANAGER') || p.roles.includes('LEGAL_REP'));
  // Risk code first: the alert card shows the unit's code as this hazard leaves it.
  const risk = await recomputeRiskCode(tx, unit.id, {
    now,
    publicBaseUrl: opts.publicBaseUrl,
    actorPersonId: filedById,
  });
  const data = await hazardAlertData(tx, hazard.id, opts);
  const subject = { subjectType: 'hazard', subjectId: hazard.id } as const;
  const deliveries: NewDelivery[] = [];
  for (const p of people) {
    const manager = p.roles.includes('UNIT_MANAGER');
    // Managers always; the legal representative too when the hazard is major (issue #4).
    if (manager || input.grade === 'MAJOR') {
      deliveries.push({
        purpose: 'hazard.alert',
        channel: 'CARD',
        template: 'hazard-alert',
        data,
        recipientPersonId: p.id,
        priority: 2,
        statutory: true,
        ...subject,
      });
    }
    if (manager && input.grade === 'MAJOR') {
      deliveries.push({
        purpose: 'hazard.alert.ding',
        channel: 'DING',
        template: 'hazard-alert',
        data,
        recipientPersonId: p.id,
        priority: 1,
        statutory: true,
        ...subject,
      });
    }
  }
  const deliveryIds = await addDeliveries(tx, deliveries);
  // Timers (reminders, overdue, escalation) follow from the new hazard.
  await syncHazardTimers(tx, hazard, now, opts.plan ?? DEFAULT_PLAN_SETTINGS);
  return { hazardId: hazard.id, deliveryIds: [...deliveryIds, ...risk.deliveryIds], refresh: hazardCards(hazard.id) };
}

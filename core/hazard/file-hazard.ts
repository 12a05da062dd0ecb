// Filing a hazard (查): the hazard, its audit event and its alert deliveries are written in one
// transaction (DESIGN.md "How data flows"). Deadlines are in working days, Chinese calendar.
import { z } from 'zod';
import { appendAudit } from '../audit';
import type { PrismaClient, Tx } from '../db';
import { addWorkingDays } from '../domain/working-days';
import { regionMatches } from '../domain/region';
import { NotFoundError, PermissionError, ValidationError } from '../errors';
import { addDeliveries, type NewDelivery } from '../outbox/add-deliveries';
import { hazardAlertData } from './notice-data';

/** Input of fileHazard, validated at the edge. */
export const fileHazardInput = z.object({
  unitId: z.string().min(1, '请选择重点单位'),
  type: z.enum(['EARTH_R', 'BONDING', 'SPD_FAIL', 'AIR_TERM', 'DOWN_COND', 'OVERDUE', 'NO_PERMIT', 'UNQUALIFIED_AGENCY', 'NO_SYSTEM', 'NO_PLAN', 'ARCHIVE', 'OTHER']),
  grade: z.enum(['GENERAL', 'MAJOR']),
  source: z.enum(['TEST', 'ENFORCEMENT', 'SELF_CHECK', 'REPORT', 'SYSTEM']).default('ENFORCEMENT'),
  description: z.string().trim().min(4, '请描述隐患情况（至少 4 个字）').max(300, '隐患描述不超过 300 字'),
  photos: z.array(z.object({ url: z.string().url() })).max(9).default([]),
  legalBasis: z.string().trim().max(200).optional(),
  deadlineWorkingDays: z.number().int().min(1, '整改期限至少 1 个工作日').max(120, '整改期限不超过 120 个工作日'),
  testReportId: z.string().optional(),
});

/** Options of a filing. */
export interface FileHazardOptions {
  publicBaseUrl: string;
  now?: Date;
}

/** Regulators may act only within their organisation's jurisdiction. */
export async function assertRegulatorFor(tx: Tx, personId: string, unitRegionCode: string) {
  const p = await tx.person.findUnique({ where: { id: personId }, include: { org: true } });
  if (!p || !p.active) throw new PermissionError('未找到该执法人员或账号已停用');
  if (!p.roles.includes('REGULATOR') || !p.org) throw new PermissionError('只有气象主管机构执法人员可以登记隐患');
  if (!regionMatches(p.org.regionCode, unitRegionCode)) throw new PermissionError('该单位不在您所在机构的管辖范围内');
  return p;
}

/** Files a hazard and queues its alerts; returns the hazard id and the deliveries to dispatch. */
export async function fileHazard(
  prisma: PrismaClient,
  filedById: string,
  raw: unknown,
  opts: FileHazardOptions,
): Promise<{ hazardId: string; deliveryIds: string[] }> {
  const parsed = fileHazardInput.safeParse(raw);
  if (!parsed.success) throw ValidationError.fromZod(parsed.error, '隐患登记信息');
  const input = parsed.data;
  const now = opts.now ?? new Date();
  return prisma.$transaction(async (tx) => {
    const unit = await tx.unit.findUnique({ where: { id: input.unitId } });
    if (!unit) throw new NotFoundError('UNIT_NOT_FOUND', '重点单位不存在');
    await assertRegulatorFor(tx, filedById, unit.regionCode);
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
        deadline: addWorkingDays(now, input.deadlineWorkingDays),
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
      data: { unitId: unit.id, type: input.type, grade: input.grade, deadline: hazard.deadline.toISOString() },
    });
    // Roles are filtered here, not in SQL: the PGlite adapter sends enum-array parameters
    // (`hasSome`) as a plain string, and a unit has only a handful of people.
    const people = (
      await tx.person.findMany({ where: { unitId: unit.id, active: true }, select: { id: true, roles: true } })
    ).filter((p) => p.roles.includes('UNIT_MANAGER') || p.roles.includes('LEGAL_REP'));
    const data = await hazardAlertData(tx, hazard.id, opts);
    const subject = { subjectType: 'hazard', subjectId: hazard.id } as const;
    const deliveries: NewDelivery[] = [];
    for (const p of people) {
      const manager = p.roles.includes('UNIT_MANAGER');
      // Managers always; the legal representative too when the hazard is major (issue #4).
      if (manager || input.grade === 'MAJOR') {
        deliveries.push({ purpose: 'hazard.alert', channel: 'CARD', template: 'hazard-alert', data, recipientPersonId: p.id, priority: 2, statutory: true, ...subject });
      }
      if (manager && input.grade === 'MAJOR') {
        deliveries.push({ purpose: 'hazard.alert.ding', channel: 'DING', template: 'hazard-alert', data, recipientPersonId: p.id, priority: 1, statutory: true, ...subject });
      }
    }
    const deliveryIds = await addDeliveries(tx, deliveries);
    return { hazardId: hazard.id, deliveryIds };
  });
}

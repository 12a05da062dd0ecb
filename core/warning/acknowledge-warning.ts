// 「已落实防范措施」 on a warning card: a manager (or legal representative) of a unit that received
// the warning confirms it. Idempotent per person; the unit counts as confirmed from its first click.
import { appendAudit } from '../audit';
import type { PrismaClient } from '../db';
import { ConflictError, NotFoundError, PermissionError } from '../errors';
import { unitSubjectId, UNIT_SUBJECT, WARNING_SUBJECT } from './warning-cards';

/** Result of a confirmation. */
export interface WarningAckResult {
  warningId: string;
  unitId: string;
  alreadyAcknowledged: boolean;
}

/** Records that `personId` has put the warning's precautions in place for their unit. */
export async function acknowledgeWarning(
  prisma: PrismaClient,
  warningId: string,
  personId: string,
  now = new Date(),
): Promise<WarningAckResult> {
  return prisma.$transaction(async (tx) => {
    const w = await tx.lightningWarning.findUnique({ where: { id: warningId } });
    if (!w) throw new NotFoundError('WARNING_NOT_FOUND', '该预警不存在');
    const person = await tx.person.findUnique({ where: { id: personId } });
    if (
      !person ||
      !person.active ||
      !person.unitId ||
      !person.roles.some((r) => r === 'UNIT_MANAGER' || r === 'LEGAL_REP')
    ) {
      throw new PermissionError('只有重点单位负责人或法定代表人可以确认落实');
    }
    const subjectId = unitSubjectId(warningId, person.unitId);
    const notified = await tx.delivery.count({
      where: { subjectType: UNIT_SUBJECT, subjectId, purpose: 'warning.card' },
    });
    if (notified === 0) throw new PermissionError('您的单位不在该预警的通知范围内');
    if (w.status === 'CANCELLED') throw new ConflictError('WARNING_CANCELLED', '该预警已解除，无需确认');
    if (w.expiresAt < now) throw new ConflictError('WARNING_EXPIRED', '该预警已过有效期，无需确认');
    const existing = await tx.warningAck.findUnique({ where: { warningId_personId: { warningId, personId } } });
    if (existing) return { warningId, unitId: person.unitId, alreadyAcknowledged: true };
    await tx.warningAck.create({ data: { warningId, personId, unitId: person.unitId, at: now } });
    await appendAudit(tx, {
      actorPersonId: personId,
      actorKind: 'PERSON',
      action: 'warning.acknowledged',
      subjectType: WARNING_SUBJECT,
      subjectId: warningId,
      data: { unitId: person.unitId, version: w.version },
    });
    return { warningId, unitId: person.unitId, alreadyAcknowledged: false };
  });
}

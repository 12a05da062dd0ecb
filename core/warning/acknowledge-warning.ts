// 「收到」: a manager (or legal representative) of a unit a warning covers answers it, from a card
// button or from the mini-app page its messages open (issue #20). Idempotent per person; the
// unit's first answer stops its 叫应 ladder and is the unit's answer on the 叫应记录 (who, when,
// through which call and channel: `via`, e.g. FIRST_LINE/WORK_NOTICE, SMS/DING_SMS).
import { appendAudit } from '../audit';
import type { Effects, FollowUp } from '../effects';
import type { PrismaClient } from '../db';
import { ConflictError, NotFoundError, PermissionError } from '../errors';
import { UNIT_SUBJECT, unitSubjectId } from './warning-cards';

/** Result of an answer. */
export interface WarningAckResult extends Effects {
  warningId: string;
  unitId: string;
  /** This person had answered before: nothing changed. */
  alreadyAcknowledged: boolean;
  /** This answer is the unit's first: its copies and the regulators' rate show it. */
  firstForUnit: boolean;
}

/** Records that `personId` received the warning for their unit (and puts its precautions in place). */
export async function acknowledgeWarning(
  prisma: PrismaClient,
  warningId: string,
  personId: string,
  opts: { via?: string; now?: Date } = {},
): Promise<WarningAckResult> {
  const now = opts.now ?? new Date();
  const via = (opts.via ?? 'MINIAPP').slice(0, 40);
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
      throw new PermissionError('只有重点单位负责人或法定代表人可以确认收到');
    }
    const unitId = person.unitId;
    const wu = await tx.warningUnit.findUnique({ where: { warningId_unitId: { warningId, unitId } } });
    if (!wu) throw new PermissionError('您的单位不在该预警的通知范围内');
    if (w.status === 'CANCELLED') throw new ConflictError('WARNING_CANCELLED', '该预警已解除，无需确认');
    if (w.expiresAt < now) throw new ConflictError('WARNING_EXPIRED', '该预警已过有效期，无需确认');
    const existing = await tx.warningAck.findUnique({ where: { warningId_personId: { warningId, personId } } });
    if (existing) return { warningId, unitId, alreadyAcknowledged: true, firstForUnit: false, deliveryIds: [] };
    await tx.warningAck.create({ data: { warningId, personId, unitId, at: now, via } });
    const first = await tx.warningUnit.updateMany({
      where: { warningId, unitId, answeredAt: null },
      data: { answeredAt: now, answeredById: personId, answeredVia: via },
    });
    await appendAudit(tx, {
      actorPersonId: personId,
      actorKind: 'PERSON',
      action: 'warning.acknowledged',
      // The unit's answer to the warning: followers of the record (the to-do mirror) touch that
      // unit's tasks alone, not every unit's.
      subjectType: UNIT_SUBJECT,
      subjectId: unitSubjectId(warningId, unitId),
      data: { warningId, unitId, version: w.version, via },
    });
    const firstForUnit = first.count > 0;
    // The unit's first answer: its other copies and the regulators' rate follow after commit.
    const follow: FollowUp[] = firstForUnit ? [{ kind: 'warning.answered', warningId, unitId }] : [];
    return { warningId, unitId, alreadyAcknowledged: false, firstForUnit, deliveryIds: [], follow };
  });
}

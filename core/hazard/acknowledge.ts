// 「已知悉」 on a hazard card: the unit's manager (or legal representative) confirms having read
// the hazard. Idempotent: a second click changes nothing and writes no second audit event.
import type { Effects } from '../effects';
import { appendAudit } from '../audit';
import type { PrismaClient } from '../db';
import { ConflictError, NotFoundError, PermissionError } from '../errors';
import { hazardCards, type Via } from './transition';

/** Result of an acknowledgement. */
export interface AcknowledgeResult extends Effects {
  hazardId: string;
  personName: string;
  alreadyAcknowledged: boolean;
  at: Date;
}

/** Records that `personId` has read hazard `hazardId`; moves a pending hazard to 整改中. */
export async function acknowledgeHazard(
  prisma: PrismaClient,
  hazardId: string,
  personId: string,
  via: Via = 'api',
): Promise<AcknowledgeResult> {
  return prisma.$transaction(async (tx) => {
    // Locked first: a timer or another click changing the hazard meanwhile would otherwise make
    // the versioned update below miss and fail the click.
    await tx.$queryRaw`SELECT 1 FROM "Hazard" WHERE id = ${hazardId} FOR UPDATE`;
    const hazard = await tx.hazard.findUnique({ where: { id: hazardId } });
    if (!hazard) throw new NotFoundError('HAZARD_NOT_FOUND', '该隐患不存在或已被删除');
    const person = await tx.person.findUnique({ where: { id: personId } });
    if (!person || !person.active) throw new PermissionError('未找到您的人员信息，请联系管理员');
    const ofUnit =
      person.unitId === hazard.unitId && person.roles.some((r) => r === 'UNIT_MANAGER' || r === 'LEGAL_REP');
    if (!ofUnit) throw new PermissionError('只有该单位的负责人或法定代表人可以确认知悉');
    if (hazard.status === 'CLOSED') throw new ConflictError('HAZARD_CLOSED', '该隐患已销号，无需再确认');

    const existing = await tx.hazardAck.findUnique({ where: { hazardId_personId: { hazardId, personId } } });
    if (existing)
      return { hazardId, personName: person.name, alreadyAcknowledged: true, at: existing.at, deliveryIds: [] };

    const ack = await tx.hazardAck.create({ data: { hazardId, personId } });
    if (hazard.status === 'PENDING') {
      await tx.hazard.update({
        where: { id: hazardId, version: hazard.version },
        data: { status: 'FIXING', version: { increment: 1 } },
      });
    }
    await appendAudit(tx, {
      actorPersonId: personId,
      actorKind: 'PERSON',
      action: 'hazard.acknowledged',
      subjectType: 'hazard',
      subjectId: hazardId,
      data: {
        via,
        before: { status: hazard.status },
        after: { status: hazard.status === 'PENDING' ? 'FIXING' : hazard.status },
      },
    });
    return {
      hazardId,
      personName: person.name,
      alreadyAcknowledged: false,
      at: ack.at,
      deliveryIds: [],
      refresh: hazardCards(hazardId),
    };
  });
}

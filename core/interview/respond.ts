// The summoned unit's answers on the summons card (issue #6 part 5): 「确认参加」 records the
// confirmation for the interview's current time; 「申请改期」 sends the interview back to the
// regulator (the proposal card again, showing the request) and stops its reminders.
import type { CardSubject, Effects } from '../effects';
import { appendAudit } from '../audit';
import type { PrismaClient, Tx } from '../db';
import { ConflictError, NotFoundError, PermissionError } from '../errors';
import { addDeliveries } from '../outbox/add-deliveries';
import { cancelTimers } from '../timers';
import { proposalCardData } from './proposal-data';
import { INTERVIEW_TIMER_KINDS, type InterviewOptions } from './schedule';

async function loadForUnitPerson(tx: Tx, interviewId: string, personId: string) {
  const iv = await tx.interview.findUnique({ where: { id: interviewId }, include: { dutyAction: true } });
  if (!iv) throw new NotFoundError('INTERVIEW_NOT_FOUND', '该约谈不存在');
  const person = await tx.person.findUnique({ where: { id: personId } });
  if (!person || !person.active) throw new PermissionError('未找到您的人员信息，请联系管理员');
  const ofUnit = person.unitId === iv.unitId && person.roles.some((r) => r === 'UNIT_MANAGER' || r === 'LEGAL_REP');
  if (!ofUnit) throw new PermissionError('只有被约谈单位的法定代表人或负责人可以操作');
  return { iv, person };
}

/** 「确认参加」; a second click changes nothing. */
export async function confirmAttendance(
  prisma: PrismaClient,
  interviewId: string,
  personId: string,
): Promise<Effects & { interviewId: string; personName: string; already: boolean }> {
  return prisma.$transaction(async (tx) => {
    const { iv, person } = await loadForUnitPerson(tx, interviewId, personId);
    if (iv.status !== 'NOTIFIED' && iv.status !== 'ACKNOWLEDGED')
      throw new ConflictError('INTERVIEW_NOT_OPEN', '该约谈当前无需确认');
    const existing = await tx.interviewAck.findUnique({
      where: { interviewId_personId_version: { interviewId, personId, version: iv.version } },
    });
    if (existing) return { interviewId, personName: person.name, already: true, deliveryIds: [] };
    await tx.interviewAck.create({ data: { interviewId, personId, version: iv.version } });
    if (iv.status === 'NOTIFIED') await tx.interview.update({ where: { id: iv.id }, data: { status: 'ACKNOWLEDGED' } });
    await appendAudit(tx, {
      actorKind: 'PERSON',
      actorPersonId: personId,
      action: 'interview.confirmed',
      subjectType: 'interview',
      subjectId: interviewId,
      data: { version: iv.version },
    });
    return {
      interviewId,
      personName: person.name,
      already: false,
      deliveryIds: [],
      refresh: interviewCards(interviewId),
    };
  });
}

/** 「申请改期」: back to the regulator; returns the deliveries to dispatch. */
export async function requestReschedule(
  prisma: PrismaClient,
  input: { interviewId: string; personId: string; reason?: string },
  opts: InterviewOptions,
): Promise<Effects & { interviewId: string; already: boolean }> {
  const now = opts.now ?? new Date();
  return prisma.$transaction(async (tx) => {
    const { iv } = await loadForUnitPerson(tx, input.interviewId, input.personId);
    if (iv.status === 'RESCHEDULE_REQUESTED') return { interviewId: iv.id, deliveryIds: [], already: true };
    if (iv.status !== 'NOTIFIED' && iv.status !== 'ACKNOWLEDGED')
      throw new ConflictError('INTERVIEW_NOT_OPEN', '该约谈当前不能申请改期');
    const reason = (input.reason ?? '').trim().slice(0, 200) || null;
    const moved = await tx.interview.updateMany({
      where: { id: iv.id, version: iv.version },
      data: { status: 'RESCHEDULE_REQUESTED', rescheduleReason: reason, version: { increment: 1 } },
    });
    if (moved.count === 0) throw new ConflictError('INTERVIEW_CHANGED', '约谈状态已变化，请刷新后重试');
    await cancelTimers(tx, { subjectType: 'interview', subjectId: iv.id, kinds: INTERVIEW_TIMER_KINDS });
    let deliveryIds: string[] = [];
    if (iv.dutyAction) {
      await tx.dutyAction.update({
        where: { id: iv.dutyAction.id },
        data: { status: 'OPEN', version: { increment: 1 } },
      });
      const data = await proposalCardData(tx, iv.dutyAction.id, { ...opts, now });
      deliveryIds = await addDeliveries(tx, [
        {
          purpose: 'interview.reschedule-request',
          channel: 'CARD',
          template: 'interview-proposal',
          data,
          recipientPersonId: iv.createdById,
          priority: 2,
          statutory: true,
          subjectType: 'duty-action',
          subjectId: iv.dutyAction.id,
          idempotencyKey: `interview.reschedule-request|${iv.id}|v${iv.version + 1}`,
        },
      ]);
    }
    await appendAudit(tx, {
      actorKind: 'PERSON',
      actorPersonId: input.personId,
      action: 'interview.reschedule-requested',
      subjectType: 'interview',
      subjectId: iv.id,
      data: { reason },
    });
    return { interviewId: iv.id, deliveryIds, already: false, refresh: interviewCards(iv.id) };
  });
}

/** The cards of an interview (the unit's summons cards), refreshed after a change. */
function interviewCards(interviewId: string): CardSubject[] {
  return [{ subjectType: 'interview', subjectId: interviewId }];
}

// 整 and 消: the unit submits its rectification with evidence; the regulator verifies it. 通过
// closes the hazard; 驳回 (a reason is required) sends it back to rectifying with a new deadline.
import { z } from 'zod';
import { appendAudit } from '../audit';
import type { PrismaClient } from '../db';
import { applyDelegations } from '../delegation';
import { addWorkingDays } from '../domain/working-days';
import { ConflictError, NotFoundError, ValidationError } from '../errors';
import { addDeliveries } from '../outbox/add-deliveries';
import { hazardStatusData, hazardStatusNotices, rectificationVerifyData } from './decision-data';
import { assertRegulatorOf, assertUnitManager } from '../authz/person-checks';
import { responsibleRegulators, unitPeople } from './people';
import type { CardSubject, Effects } from '../effects';
import { changeHazard, hazardCards, loadHazard, type CommandOptions } from './transition';

/** A photo reference: a URL returned by POST /api/m/uploads (or any http(s) URL). */
const photo = z.object({
  url: z
    .string()
    .url('照片地址不正确')
    .refine((u) => /^https?:/.test(u), '照片地址必须是 http(s) 地址'),
});

/** Input of a rectification submission. */
export const submitRectificationInput = z.object({
  description: z.string().trim().min(4, '请描述整改措施（至少 4 个字）').max(300, '整改说明不超过 300 字'),
  photos: z.array(photo).min(1, '请至少上传 1 张整改照片').max(9, '最多上传 9 张照片'),
});

/** Input of a verification. */
export const verifyRectificationInput = z
  .object({
    decision: z.enum(['APPROVED', 'REJECTED'], { message: '复核结论只能是通过或驳回' }),
    reason: z.string().trim().max(300, '驳回理由不超过 300 字').optional(),
  })
  .refine((v) => v.decision === 'APPROVED' || (v.reason && v.reason.length >= 2), {
    message: '驳回时必须填写理由（至少 2 个字）',
    path: ['reason'],
  });

/** Result of a command: the hazard it changed and what it leaves for after commit. */
export interface CommandResult extends Effects {
  hazardId: string;
  refresh: CardSubject[];
}

/** Options of a verification (the rework period comes from the configuration). */
export interface VerifyOptions extends CommandOptions {
  reworkWorkingDays: number;
}

/** The unit's manager submits the rectification (description + photos). */
export async function submitRectification(
  prisma: PrismaClient,
  personId: string,
  hazardId: string,
  raw: unknown,
  opts: CommandOptions,
): Promise<CommandResult & { rectificationId: string }> {
  const parsed = submitRectificationInput.safeParse(raw);
  if (!parsed.success) throw ValidationError.fromZod(parsed.error, '整改材料');
  const now = opts.now ?? new Date();
  return prisma.$transaction(async (tx) => {
    const h = await loadHazard(tx, hazardId);
    const person = await assertUnitManager(tx, personId, h.unitId, '提交整改');
    if (h.status === 'SUBMITTED')
      throw new ConflictError('RECTIFICATION_PENDING', '整改材料已提交，正在等待监管人员复核，无需重复提交');
    if (h.status === 'CLOSED') throw new ConflictError('HAZARD_CLOSED', '该隐患已销号，无需再提交整改');
    const rect = await tx.rectification.create({
      data: {
        hazardId,
        submittedById: person.id,
        description: parsed.data.description,
        photos: parsed.data.photos,
        submittedAt: now,
      },
    });
    const { deliveryIds: riskIds } = await changeHazard(
      tx,
      h,
      { status: 'SUBMITTED', reschedule: true },
      {
        action: 'hazard.rectification.submitted',
        actorPersonId: person.id,
        data: { rectificationId: rect.id, photos: parsed.data.photos.length },
      },
      { ...opts, now },
    );
    const data = await rectificationVerifyData(tx, rect.id, opts);
    // A regulator away names a deputy (委托, issue #21): the verify card goes to them, on the record.
    const delegated = await applyDelegations(tx, await responsibleRegulators(tx, h), { role: 'REGULATOR', at: now });
    const regulators = delegated.personIds;
    if (delegated.applied.length > 0) {
      await appendAudit(tx, {
        actorKind: 'SYSTEM',
        action: 'hazard.verify.delegated',
        subjectType: 'hazard',
        subjectId: hazardId,
        data: { rectificationId: rect.id, delegations: delegated.applied },
      });
    }
    const deliveryIds = await addDeliveries(
      tx,
      regulators.map((r) => ({
        purpose: 'hazard.verify',
        channel: 'CARD' as const,
        template: 'rectification-verify',
        data,
        recipientPersonId: r,
        priority: 2,
        subjectType: 'rectification',
        subjectId: rect.id,
      })),
    );
    return {
      hazardId,
      rectificationId: rect.id,
      deliveryIds: [...deliveryIds, ...riskIds],
      refresh: hazardCards(hazardId),
    };
  });
}

/**
 * A regulator whose jurisdiction covers the unit decides the latest submission. Deciding a
 * submission twice, or one that is no longer the latest, is refused and changes nothing.
 */
export async function verifyRectification(
  prisma: PrismaClient,
  personId: string,
  rectificationId: string,
  raw: unknown,
  opts: VerifyOptions,
): Promise<CommandResult & { decision: 'APPROVED' | 'REJECTED' }> {
  const parsed = verifyRectificationInput.safeParse(raw);
  if (!parsed.success) throw ValidationError.fromZod(parsed.error, '复核意见');
  const { decision, reason } = parsed.data;
  const now = opts.now ?? new Date();
  return prisma.$transaction(async (tx) => {
    const rect = await tx.rectification.findUnique({
      where: { id: rectificationId },
      include: { decidedBy: { select: { name: true } } },
    });
    if (!rect) throw new NotFoundError('RECTIFICATION_NOT_FOUND', '该整改记录不存在');
    const h = await loadHazard(tx, rect.hazardId);
    const person = await assertRegulatorOf(tx, personId, h.unitId);
    if (rect.decision) {
      const what = rect.decision === 'APPROVED' ? '通过' : '驳回';
      throw new ConflictError(
        'RECTIFICATION_DECIDED',
        `该整改已由${rect.decidedBy?.name ?? '其他人'}复核${what}，无需重复操作`,
      );
    }
    const latest = await tx.rectification.findFirst({
      where: { hazardId: h.id },
      orderBy: { submittedAt: 'desc' },
      select: { id: true },
    });
    if (latest?.id !== rect.id || h.status !== 'SUBMITTED') {
      throw new ConflictError('RECTIFICATION_STALE', '该次提交已失效（隐患状态已变化），请以最新状态为准');
    }
    await tx.rectification.update({
      where: { id: rect.id },
      data: { decision, decidedById: person.id, decidedAt: now, rejectReason: decision === 'REJECTED' ? reason : null },
    });
    const org = await tx.regulatorOrg.findUnique({ where: { id: person.orgId ?? '' }, select: { name: true } });
    const decidedBy = `${org?.name ?? ''} ${person.name}`.trim();
    const { managers } = await unitPeople(tx, h.unitId);
    let riskIds: string[];
    let notice: Parameters<typeof hazardStatusData>[2];
    if (decision === 'APPROVED') {
      ({ deliveryIds: riskIds } = await changeHazard(
        tx,
        h,
        { status: 'CLOSED', closedAt: now, reschedule: true },
        { action: 'hazard.closed', actorPersonId: person.id, data: { rectificationId: rect.id } },
        { ...opts, now },
      ));
      // Pending extension requests have nothing left to extend.
      await tx.extensionRequest.updateMany({
        where: { hazardId: h.id, status: 'PENDING' },
        data: { status: 'CANCELLED', decidedAt: now },
      });
      notice = { status: 'CLOSED', decidedBy, at: now };
    } else {
      const deadline = addWorkingDays(now, opts.reworkWorkingDays);
      ({ deliveryIds: riskIds } = await changeHazard(
        tx,
        h,
        { status: 'FIXING', deadline, reschedule: true },
        {
          action: 'hazard.rectification.rejected',
          actorPersonId: person.id,
          data: { rectificationId: rect.id, reason },
        },
        { ...opts, now },
      ));
      notice = { status: 'REJECTED', decidedBy, at: now, comment: reason, deadline };
    }
    const data = await hazardStatusData(tx, h.id, notice, opts);
    const purpose = `hazard.${decision === 'APPROVED' ? 'closed' : 'rejected'}`;
    const deliveries = hazardStatusNotices(managers, h.id, data, purpose, `hazard.verified:${rect.id}`);
    const deliveryIds = await addDeliveries(tx, deliveries);
    return { hazardId: h.id, decision, deliveryIds: [...deliveryIds, ...riskIds], refresh: hazardCards(h.id) };
  });
}

/** The submission awaiting verification of a hazard, if any (chat commands and the verify API). */
export async function pendingRectificationOf(prisma: PrismaClient, hazardId: string): Promise<string | null> {
  const r = await prisma.rectification.findFirst({
    where: { hazardId, decision: null },
    orderBy: { submittedAt: 'desc' },
    select: { id: true },
  });
  return r?.id ?? null;
}

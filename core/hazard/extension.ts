// 申请延期: the unit's manager asks for a later deadline (reason + new date). The request is an
// approval of the shipped 整改延期 definition (core/approval, key hazard.extension): the regulators
// of the unit's jurisdiction get the approval card; its outcome hook (extension-decision.ts) runs in
// the deciding transaction, moves the deadline and the reminders (through changeHazard) and tells the unit.
import { z } from 'zod';
import { appendAudit } from '../audit';
import type { PrismaClient } from '../db';
import { shanghaiDate } from '../domain/working-days';
import { ConflictError, NotFoundError, ValidationError } from '../errors';
import { decide as decideApproval, startApproval } from '../approval';
import { resolveDeadline, zDeadline } from './deadline';
import { applyExtensionDecision, EXTENSION_APPROVAL } from './extension-decision';
import { hazardLinks } from './notice-data';
import { assertRegulatorOf, assertUnitManager } from '../authz/person-checks';
import { hazardCards, loadHazard, OPEN_STATUSES, type CommandOptions } from './transition';
import type { CommandResult } from './rectification';

/** Input of an extension request. */
export const requestExtensionInput = z.object({
  reason: z.string().trim().min(4, '请说明延期理由（至少 4 个字）').max(300, '延期理由不超过 300 字'),
  newDeadline: zDeadline,
});

/** Input of an extension decision. */
export const decideExtensionInput = z
  .object({ approve: z.boolean(), reason: z.string().trim().max(300).optional() })
  .refine((v) => v.approve || (v.reason && v.reason.length >= 2), {
    message: '不同意延期时必须填写理由（至少 2 个字）',
    path: ['reason'],
  });

/** Longest extension granted in one request (calendar days past the current deadline). */
export const MAX_EXTENSION_DAYS = 90;

/** The unit's manager asks for a later deadline. */
export async function requestExtension(
  prisma: PrismaClient,
  personId: string,
  hazardId: string,
  raw: unknown,
  opts: CommandOptions,
): Promise<CommandResult & { requestId: string }> {
  const parsed = requestExtensionInput.safeParse(raw);
  if (!parsed.success) throw ValidationError.fromZod(parsed.error, '延期申请');
  const now = opts.now ?? new Date();
  const newDeadline = resolveDeadline(parsed.data.newDeadline, now);
  return prisma.$transaction(async (tx) => {
    const h = await loadHazard(tx, hazardId);
    const person = await assertUnitManager(tx, personId, h.unitId, '申请延期');
    if (!OPEN_STATUSES.includes(h.status)) {
      throw new ConflictError(
        'HAZARD_NOT_OPEN',
        h.status === 'CLOSED' ? '该隐患已销号，无需申请延期' : '整改材料已提交待复核，暂不能申请延期',
      );
    }
    if (h.deadline.getTime() < now.getTime())
      throw new ConflictError('EXTENSION_TOO_LATE', '整改期限已过，不能再申请延期，请尽快完成整改');
    if (newDeadline.getTime() <= h.deadline.getTime()) {
      const message = `申请的期限必须晚于当前整改期限（${shanghaiDate(h.deadline)}）`;
      throw new ValidationError(message, { fields: [{ path: 'newDeadline', message }] });
    }
    if (newDeadline.getTime() - h.deadline.getTime() > MAX_EXTENSION_DAYS * 86_400_000) {
      const message = `一次最多延期 ${MAX_EXTENSION_DAYS} 天`;
      throw new ValidationError(message, { fields: [{ path: 'newDeadline', message }] });
    }
    const pending = await tx.extensionRequest.findFirst({ where: { hazardId, status: 'PENDING' } });
    if (pending) throw new ConflictError('EXTENSION_PENDING', '已有一份延期申请在等待审批，请勿重复申请');
    const req = await tx.extensionRequest.create({
      data: { hazardId, requestedById: person.id, reason: parsed.data.reason, newDeadline, createdAt: now },
    });
    await appendAudit(tx, {
      actorKind: 'PERSON',
      actorPersonId: person.id,
      action: 'hazard.extension.requested',
      subjectType: 'hazard',
      subjectId: hazardId,
      data: {
        via: opts.via,
        requestId: req.id,
        deadline: h.deadline.toISOString(),
        newDeadline: newDeadline.toISOString(),
      },
    });
    const unit = await tx.unit.findUniqueOrThrow({ where: { id: h.unitId }, select: { name: true, regionCode: true } });
    const effects = await startApproval(
      tx,
      {
        definitionKey: EXTENSION_APPROVAL,
        subject: { type: 'hazard', id: h.id, regionCode: unit.regionCode, title: `${unit.name} 整改延期`.slice(0, 60) },
        applicantPersonId: person.id,
        data: {
          fields: [
            { label: '原整改期限', value: shanghaiDate(h.deadline) },
            { label: '申请延至', value: shanghaiDate(newDeadline) },
            { label: '延期理由', value: parsed.data.reason.slice(0, 200) },
          ],
          attachments: [{ name: '隐患详情', url: hazardLinks(opts.publicBaseUrl, h.id).detail }],
        },
      },
      { publicBaseUrl: opts.publicBaseUrl, now, timers: opts.approvalTimers },
    );
    await tx.extensionRequest.update({ where: { id: req.id }, data: { approvalInstanceId: effects.instanceId } });
    const deliveryIds = effects.deliveryIds;
    return { hazardId, requestId: req.id, deliveryIds, refresh: hazardCards(hazardId) };
  });
}

/**
 * A regulator decides the hazard's pending request outside the approval card (mini-app, chat):
 * the decision goes through the approval engine, so the approval and the hazard stay one story.
 */
export async function decideExtension(
  prisma: PrismaClient,
  deciderId: string,
  requestId: string,
  raw: unknown,
  opts: CommandOptions,
): Promise<CommandResult> {
  const parsed = decideExtensionInput.safeParse(raw);
  if (!parsed.success) throw ValidationError.fromZod(parsed.error, '延期审批意见');
  const now = opts.now ?? new Date();
  return prisma.$transaction(async (tx) => {
    const req = await tx.extensionRequest.findUnique({ where: { id: requestId } });
    if (!req) throw new NotFoundError('EXTENSION_NOT_FOUND', '该延期申请不存在');
    const h = await loadHazard(tx, req.hazardId);
    await assertRegulatorOf(tx, deciderId, h.unitId);
    if (req.status !== 'PENDING') throw new ConflictError('EXTENSION_DECIDED', '该延期申请已处理，无需重复处理');
    const step = req.approvalInstanceId
      ? await tx.approvalStep.findFirst({
          where: { instanceId: req.approvalInstanceId, status: 'ACTIVE' },
          orderBy: [{ round: 'desc' }, { index: 'asc' }],
        })
      : null;
    if (!step) {
      const res = await applyExtensionDecision(tx, deciderId, requestId, parsed.data, { ...opts, now });
      return res;
    }
    const effects = await decideApproval(
      tx,
      {
        stepId: step.id,
        personId: deciderId,
        decision: parsed.data.approve ? 'APPROVE' : 'REJECT',
        comment: parsed.data.reason,
      },
      { publicBaseUrl: opts.publicBaseUrl, now, timers: opts.approvalTimers },
    );
    return { hazardId: h.id, deliveryIds: effects.deliveryIds, refresh: [...hazardCards(h.id), ...effects.refresh] };
  });
}

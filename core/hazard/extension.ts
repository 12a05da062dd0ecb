// 申请延期: the unit's manager asks for a later deadline (reason + new date). The request is an
// approval of the shipped 整改延期 definition (core/approval, key hazard.extension): the regulators
// of the unit's jurisdiction get the approval card; the outcome hook below runs in the deciding
// transaction, moves the deadline and the reminders (through changeHazard) and tells the unit.
import { z } from 'zod';
import { appendAudit } from '../audit';
import type { PrismaClient, Tx } from '../db';
import type { Hazard } from '../db/generated/client';
import { shanghaiDate } from '../domain/working-days';
import { ConflictError, NotFoundError, ValidationError } from '../errors';
import { decide as decideApproval, onApprovalOutcome, startApproval, type CardSubject } from '../approval';
import { addDeliveries } from '../outbox/add-deliveries';
import { resolveDeadline, zDeadline } from './deadline';
import { hazardStatusData } from './decision-data';
import { hazardLinks } from './notice-data';
import { assertRegulatorOf, assertUnitManager } from '../authz/person-checks';
import { unitPeople } from './people';
import { changeHazard, loadHazard, OPEN_STATUSES, type CommandOptions } from './transition';
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
      { publicBaseUrl: opts.publicBaseUrl, now },
    );
    await tx.extensionRequest.update({ where: { id: req.id }, data: { approvalInstanceId: effects.instanceId } });
    const deliveryIds = effects.deliveryIds;
    return { hazardId, requestId: req.id, deliveryIds };
  });
}

/** Key of the shipped approval definition (core/approval/definitions.ts). */
export const EXTENSION_APPROVAL = 'hazard.extension';

/**
 * Applies the decision on a pending request in the caller's transaction: the approval engine's
 * outcome hook lands here. `deciderId` must be a regulator of the unit's jurisdiction, or null for
 * a decision the approval step's time-out took (a definition that allows it, issue #21).
 */
export async function applyExtensionDecision(
  tx: Tx,
  deciderId: string | null,
  requestId: string,
  input: { approve: boolean; reason?: string },
  opts: CommandOptions,
): Promise<CommandResult> {
  const now = opts.now ?? new Date();
  const req = await tx.extensionRequest.findUnique({ where: { id: requestId } });
  if (!req) throw new NotFoundError('EXTENSION_NOT_FOUND', '该延期申请不存在');
  const h: Hazard = await loadHazard(tx, req.hazardId);
  const person = deciderId ? await assertRegulatorOf(tx, deciderId, h.unitId) : null;
  if (req.status !== 'PENDING') {
    const text = { APPROVED: '已同意', REJECTED: '已不同意', CANCELLED: '已失效', PENDING: '' }[req.status];
    throw new ConflictError('EXTENSION_DECIDED', `该延期申请${text}，无需重复处理`);
  }
  await tx.extensionRequest.update({
    where: { id: req.id },
    data: { status: input.approve ? 'APPROVED' : 'REJECTED', decidedAt: now },
  });
  const org = person
    ? await tx.regulatorOrg.findUnique({ where: { id: person.orgId ?? '' }, select: { name: true } })
    : null;
  const decidedBy = person ? `${org?.name ?? ''} ${person.name}`.trim() : '系统（审批超时自动办理）';
  await appendAudit(tx, {
    actorKind: person ? 'PERSON' : 'SYSTEM',
    actorPersonId: person?.id ?? null,
    action: input.approve ? 'hazard.extension.approved' : 'hazard.extension.rejected',
    subjectType: 'extension',
    subjectId: req.id,
    data: {
      via: opts.via,
      hazardId: h.id,
      previousDeadline: shanghaiDate(h.deadline),
      newDeadline: shanghaiDate(req.newDeadline),
      reason: input.reason,
    },
  });
  let riskIds: string[] = [];
  // A deadline already past cannot be extended into a reschedule of a closed or submitted hazard.
  if (input.approve && h.status !== 'CLOSED') {
    // An overdue hazard whose deadline moves into the future is back to 整改中.
    const status = h.status === 'OVERDUE' || h.status === 'ESCALATED' ? 'FIXING' : undefined;
    ({ deliveryIds: riskIds } = await changeHazard(
      tx,
      h,
      { deadline: req.newDeadline, status, reschedule: h.status !== 'SUBMITTED' },
      { action: 'hazard.deadline.extended', actorPersonId: person?.id ?? null, data: { requestId: req.id } },
      { ...opts, now },
    ));
  }
  const { managers } = await unitPeople(tx, h.unitId);
  const data = await hazardStatusData(
    tx,
    h.id,
    input.approve
      ? { status: 'FIXING', decidedBy, at: now, deadline: req.newDeadline, comment: '延期申请已同意' }
      : {
          status: 'FIXING',
          decidedBy,
          at: now,
          comment: `延期申请未获同意：${input.reason ?? ''}，请按原期限完成整改`,
        },
    opts,
  );
  const deliveryIds = await addDeliveries(
    tx,
    managers.map((m) => ({
      purpose: 'hazard.extension.decided',
      channel: 'ROBOT_OTO' as const,
      template: 'hazard-status',
      data,
      recipientPersonId: m,
      priority: 2,
      statutory: true,
      subjectType: 'hazard',
      subjectId: h.id,
      idempotencyKey: `hazard.extension.decided:${req.id}:${m}`,
    })),
  );
  return { hazardId: h.id, deliveryIds: [...deliveryIds, ...riskIds] };
}

// The approval engine runs this in the deciding transaction (card click, mini-app, chat alike) and
// hands its notices and the hazard's cards back to its caller, who applies them after commit.
onApprovalOutcome(EXTENSION_APPROVAL, async (tx, instance, outcome, ctx) => {
  const req = await tx.extensionRequest.findUnique({ where: { approvalInstanceId: instance.id } });
  if (!req || req.status !== 'PENDING') return;
  if (outcome.kind === 'WITHDRAWN') {
    await tx.extensionRequest.update({ where: { id: req.id }, data: { status: 'CANCELLED', decidedAt: outcome.at } });
    return;
  }
  const res = await applyExtensionDecision(
    tx,
    outcome.byPersonId,
    req.id,
    { approve: outcome.kind === 'APPROVED', reason: outcome.comment ?? undefined },
    { publicBaseUrl: ctx.publicBaseUrl, via: 'approval', now: outcome.at },
  );
  return { deliveryIds: res.deliveryIds, refresh: [{ subjectType: 'hazard', subjectId: res.hazardId }] };
});

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
): Promise<CommandResult & { refresh: CardSubject[] }> {
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
      return { ...res, refresh: [] };
    }
    const effects = await decideApproval(
      tx,
      {
        stepId: step.id,
        personId: deciderId,
        decision: parsed.data.approve ? 'APPROVE' : 'REJECT',
        comment: parsed.data.reason,
      },
      { publicBaseUrl: opts.publicBaseUrl, now },
    );
    return { hazardId: h.id, deliveryIds: effects.deliveryIds, refresh: effects.refresh };
  });
}

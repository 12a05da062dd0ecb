// The decision on a hazard's extension request (整改延期), as the approval engine's outcome hook
// applies it in the deciding transaction: the deadline and the reminders move (through
// changeHazard) and the unit is told. Kept apart from extension.ts, which starts and decides the
// approval, so that the hook list of core/approval can name this hook without an import circle.
import { appendAudit } from '../audit';
import type { Tx } from '../db';
import type { Hazard } from '../db/generated/client';
import { shanghaiDate } from '../domain/working-days';
import { ConflictError, NotFoundError } from '../errors';
import type { OutcomeHook } from '../approval/hooks';
import { addDeliveries } from '../outbox/add-deliveries';
import { hazardStatusData, hazardStatusNotices } from './decision-data';
import { assertRegulatorOf } from '../authz/person-checks';
import { unitPeople } from './people';
import { changeHazard, hazardCards, loadHazard, type CommandOptions } from './transition';
import type { CommandResult } from './rectification';

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
    hazardStatusNotices(managers, h.id, data, 'hazard.extension.decided', `hazard.extension.decided:${req.id}`),
  );
  return { hazardId: h.id, deliveryIds: [...deliveryIds, ...riskIds], refresh: hazardCards(h.id) };
}

/**
 * The outcome hook of 整改延期, run in the deciding transaction (card click, mini-app, chat alike);
 * it hands its notices and the hazard's cards back to the engine's caller, who applies them after
 * commit.
 */
export const extensionOutcome: OutcomeHook = async (tx, instance, outcome, ctx) => {
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
  return { deliveryIds: res.deliveryIds, refresh: res.refresh };
};

// What a permit's approval means for the permit (中国气象局令第37号), run inside the deciding
// transaction: first step approved → 已受理; approved → 核准/验收合格; rejected → 不予许可/需整改;
// withdrawn → 已撤回; resubmitted → 已申请. Listed in core/approval/hook-list.ts.
import type { DefinitionHooks } from '../approval/hooks';
import type { Tx } from '../db';
import type { PermitKind, PermitStatus } from '../db/generated/enums';

/** Approval definition of each permit kind. */
export const PERMIT_DEFINITION: Record<PermitKind, string> = {
  DESIGN_REVIEW: 'permit.design-review',
  COMPLETION_ACCEPTANCE: 'permit.completion-acceptance',
};

async function setStatus(
  tx: Tx,
  instanceId: string,
  status: PermitStatus,
  extra: { acceptedAt?: Date; decidedAt?: Date | null } = {},
): Promise<void> {
  await tx.permit.updateMany({ where: { approvalInstanceId: instanceId }, data: { status, ...extra } });
}

/** The hooks of every permit definition (the same for both kinds). */
export const permitHooks: DefinitionHooks = {
  outcome: async (tx, instance, outcome) => {
    const status: PermitStatus =
      outcome.kind === 'APPROVED' ? 'APPROVED' : outcome.kind === 'REJECTED' ? 'REJECTED' : 'WITHDRAWN';
    await setStatus(tx, instance.id, status, { decidedAt: outcome.kind === 'WITHDRAWN' ? null : outcome.at });
  },
  progress: async (tx, instance, p) => {
    if (p.kind === 'STEP_APPROVED' && p.stepIndex === 0)
      await setStatus(tx, instance.id, 'ACCEPTED', { acceptedAt: p.at });
    if (p.kind === 'RESUBMITTED') await setStatus(tx, instance.id, 'SUBMITTED', { decidedAt: null });
  },
};

// 「同意」/「驳回」 on an approver's approval-task card. (退回 and 加签 open the mini-app page at their
// form: a card cannot offer a step or a person picker built from the record.)
//   They are accepted and answered at once (acceptApprovalClick, before anything else is looked
// up): one statement writes the click down if the step still waits for this person's decision,
// the worker's approval.click job decides it and refreshes every card, and the clicker sees
// 「已收到…正在登记」 until then. A click that is not accepted (stale card, not theirs to decide,
// withdrawn) comes to the table's handlers below and runs through the engine, which refuses it —
// 「已由 XXX 处理」 with the card's current state — changing nothing.
import { acceptClick, decide } from '../../../core/approval';
import type { CardActionDeps, CardCallbackResponse, Click, KindActions } from '../card-action-types';
import { UPDATE } from './answers';
import { approvalCard, assertOwnCard, runApproval } from './approval-card';

/**
 * The fast way (core/approval/clicks.ts): 同意/驳回 accepted with one statement and the clicker
 * answered at once — their buttons go, a note says it is being recorded — while its job is queued.
 * Undefined when the click is not accepted. The click is in Postgres before the answer; if its
 * job cannot be queued the reconciler queues it.
 */
export async function acceptApprovalClick(
  deps: CardActionDeps & { queueClick(clickId: string): Promise<void> },
  outTrackId: string,
  userId: string,
  action: string | undefined,
  params: Record<string, unknown>,
): Promise<CardCallbackResponse | undefined> {
  if (action !== 'approve' && action !== 'reject') return undefined;
  const decision = action === 'approve' ? 'APPROVE' : 'REJECT';
  const comment = typeof params['comment'] === 'string' ? params['comment'] : null;
  const clickId = await acceptClick(deps.prisma, { outTrackId, userId, decision, comment });
  if (!clickId) return undefined;
  // Not awaited: the answer need not wait for Redis, the click is already in Postgres.
  void deps
    .queueClick(clickId)
    .catch((err: unknown) => deps.logger.error({ err, clickId }, '审批操作已记录但未能排队，将由对账任务补排'));
  const statusText = `已收到您的「${decision === 'APPROVE' ? '同意' : '驳回'}」，正在登记，审批结果稍后显示在卡片上`;
  return {
    userPrivateData: { cardParamMap: { actionsVisible: 'false', statusText, statusVisible: 'true' } },
    cardUpdateOptions: UPDATE,
  };
}

/** Decides the step the card is about, in the callback (no queue at hand, or the click not accepted). */
function decideStep(decision: 'APPROVE' | 'REJECT') {
  return async (deps: CardActionDeps, click: Click): Promise<CardCallbackResponse> => {
    assertOwnCard(click);
    const comment = typeof click.params['comment'] === 'string' ? click.params['comment'].trim() : '';
    if (decision === 'REJECT' && !comment) {
      return approvalCard(
        deps,
        click,
        '驳回需填写审批意见：请在卡片上填写意见后再驳回，或点击「查看详情」在小程序中办理',
      );
    }
    return runApproval(deps, click, (tx, ctx) =>
      decide(
        tx,
        { stepId: click.card.subjectId, personId: click.person.id, decision, comment: comment || undefined },
        ctx,
      ),
    );
  };
}

/** The actions of the approval-task card. */
export const approvalTaskActions: KindActions = {
  approve: decideStep('APPROVE'),
  reject: decideStep('REJECT'),
};

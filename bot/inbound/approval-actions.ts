// Approval card clicks: 「同意」/「驳回」 on an approver's approval-task card, 「撤回申请」 and 「催办」
// on the applicant's approval-status card. (退回 and 加签 on the task card open the mini-app page at
// their form: a card cannot offer a step or a person picker built from the record.)
//   同意/驳回 are accepted and answered at once (acceptApprovalClick, before anything else is looked
// up): one statement writes the click down if the step still waits for this person's decision,
// the worker's approval.click job decides it and refreshes every card, and the clicker sees
// 「已收到…正在登记」 until then. A click that is not accepted (stale card, not theirs to decide,
// withdrawn) comes to handleApprovalAction and runs through the engine, which refuses it —
// 「已由 XXX 处理」 with the card's current state — changing nothing. 撤回 and 催办 are one
// transaction here (core/approval locks the instance row); a second 催办 on one working day is
// refused by the engine with the day of the next one, shown to the clicker only.
import {
  acceptClick,
  decide,
  nudge,
  withdraw,
  ApprovalAlreadyDecidedError,
  type ApprovalEffects,
} from '../../core/approval';
import type { Person } from '../../core/db/generated/client';
import { PermissionError } from '../../core/errors';
import type { CardPayload } from '../../templates';
import type { CardActionDeps, CardCallbackResponse } from './card-action-types';

/** The card a click came from. */
interface ClickedCard {
  outTrackId: string;
  kind: string;
  subjectId: string;
  recipientPersonId: string | null;
}

const UPDATE = { updateCardDataByKey: true, updatePrivateDataByKey: true } as const;

/** Whether this module answers the click. */
export function isApprovalAction(kind: string, action: string | undefined): boolean {
  return (
    (kind === 'approval-task' && (action === 'approve' || action === 'reject')) ||
    (kind === 'approval-status' && (action === 'withdraw' || action === 'nudge'))
  );
}

/** The card as it stands now, for the clicking user (public data plus their own private data). */
async function currentCard(
  deps: CardActionDeps,
  card: ClickedCard,
  userId: string,
  note?: string,
): Promise<CardCallbackResponse> {
  const data = await deps.buildCardData(card.kind, card.subjectId);
  const rendered = deps.render(card.kind, data, 'CARD') as CardPayload;
  // The clicker's buttons follow the record (still theirs to press, or not); a note is theirs alone.
  const own = { actionsVisible: 'false', ...(rendered.privateData?.[userId]?.cardParamMap ?? {}) };
  if (note) Object.assign(own, { statusText: note, statusVisible: 'true' });
  return {
    cardData: { cardParamMap: rendered.cardParamMap },
    userPrivateData: { cardParamMap: own },
    cardUpdateOptions: UPDATE,
  };
}

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

/**
 * Handles an approval click; AppErrors other than a stale click propagate to handleCardAction,
 * which shows their message to the clicking user only.
 */
export async function handleApprovalAction(
  deps: CardActionDeps,
  card: ClickedCard,
  person: Person,
  userId: string,
  action: string,
  params: Record<string, unknown>,
): Promise<CardCallbackResponse> {
  // 1:1 cards: a click on someone else's card (a forged callback) is refused.
  if (card.recipientPersonId && card.recipientPersonId !== person.id)
    throw new PermissionError('这张卡片不是发给您的，操作无效');
  const ctx = { publicBaseUrl: deps.publicBaseUrl, timers: deps.approvalTimers };
  try {
    let effects: ApprovalEffects;
    let note: string | undefined;
    if (action === 'nudge') {
      effects = await deps.prisma.$transaction((tx) =>
        nudge(tx, { instanceId: card.subjectId, personId: person.id }, ctx),
      );
      note = '已催办：当前环节的审批人已收到提醒';
    } else if (action === 'withdraw') {
      effects = await deps.prisma.$transaction((tx) =>
        withdraw(tx, { instanceId: card.subjectId, personId: person.id }, ctx),
      );
    } else {
      const comment = typeof params['comment'] === 'string' ? params['comment'].trim() : '';
      if (action === 'reject' && !comment) {
        return currentCard(
          deps,
          card,
          userId,
          '驳回需填写审批意见：请在卡片上填写意见后再驳回，或点击「查看详情」在小程序中办理',
        );
      }
      const decision = action === 'approve' ? 'APPROVE' : 'REJECT';
      effects = await deps.prisma.$transaction((tx) =>
        decide(tx, { stepId: card.subjectId, personId: person.id, decision, comment: comment || undefined }, ctx),
      );
    }
    await deps.apply(effects);
    deps.logger.info({ instanceId: effects.instanceId, personId: person.id, action }, '审批卡片操作已处理');
    return currentCard(deps, card, userId, note);
  } catch (err) {
    if (err instanceof ApprovalAlreadyDecidedError) return currentCard(deps, card, userId, err.message);
    throw err;
  }
}

// Approval card clicks: 「同意」/「驳回」 on an approver's approval-task card, 「撤回申请」 on the
// applicant's approval-status card. The decision is one transaction (core/approval locks the
// instance row), so of two simultaneous clicks on an "any one" step exactly one decides; the
// other — and any later click on a stale card — is answered 「已由 XXX 处理」 with the card's
// current state, and changes nothing. Deliveries are dispatched and the other cards refreshed
// after commit.
import { decide, withdraw, ApprovalAlreadyDecidedError, type ApprovalEffects } from '../../core/approval';
import type { Person } from '../../core/db/generated/client';
import { PermissionError } from '../../core/errors';
import type { CardPayload } from '../../templates';
import type { CardActionDeps, CardCallbackResponse } from './card-actions';

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
  return (kind === 'approval-task' && (action === 'approve' || action === 'reject')) || (kind === 'approval-status' && action === 'withdraw');
}

/** The card as it stands now, for the clicking user (public data plus their own private data). */
async function currentCard(deps: CardActionDeps, card: ClickedCard, userId: string, note?: string): Promise<CardCallbackResponse> {
  const data = await deps.buildCardData(card.kind, card.subjectId);
  const rendered = deps.render(card.kind, data, 'CARD') as CardPayload;
  // The clicker's buttons follow the record (still theirs to press, or not); a note is theirs alone.
  const own = { actionsVisible: 'false', ...(rendered.privateData?.[userId]?.cardParamMap ?? {}) };
  if (note) Object.assign(own, { statusText: note, statusVisible: 'true' });
  return { cardData: { cardParamMap: rendered.cardParamMap }, userPrivateData: { cardParamMap: own }, cardUpdateOptions: UPDATE };
}

async function afterCommit(deps: CardActionDeps, effects: ApprovalEffects): Promise<void> {
  if (effects.deliveryIds.length > 0 && deps.dispatch) await deps.dispatch(effects.deliveryIds);
  for (const s of effects.refresh) await deps.refreshCards(s.subjectType, s.subjectId);
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
  if (card.recipientPersonId && card.recipientPersonId !== person.id) throw new PermissionError('这张卡片不是发给您的，操作无效');
  const ctx = { publicBaseUrl: deps.publicBaseUrl };
  try {
    let effects: ApprovalEffects;
    if (action === 'withdraw') {
      effects = await deps.prisma.$transaction((tx) => withdraw(tx, { instanceId: card.subjectId, personId: person.id }, ctx));
    } else {
      const comment = typeof params['comment'] === 'string' ? params['comment'].trim() : '';
      if (action === 'reject' && !comment) {
        return currentCard(deps, card, userId, '驳回需填写审批意见：请在卡片上填写意见后再驳回，或点击「查看详情」在小程序中办理');
      }
      effects = await deps.prisma.$transaction((tx) =>
        decide(tx, { stepId: card.subjectId, personId: person.id, decision: action === 'approve' ? 'APPROVE' : 'REJECT', comment: comment || undefined }, ctx),
      );
    }
    await afterCommit(deps, effects);
    deps.logger.info({ instanceId: effects.instanceId, personId: person.id, action }, '审批卡片操作已处理');
    return currentCard(deps, card, userId);
  } catch (err) {
    if (err instanceof ApprovalAlreadyDecidedError) return currentCard(deps, card, userId, err.message);
    throw err;
  }
}

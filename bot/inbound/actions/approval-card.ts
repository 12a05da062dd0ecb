// What the two approval cards' actions share: the card as it stands now for the clicker (their
// buttons follow the record; a note is theirs alone), and one run of an approval command whose
// refusal as already decided is answered with that card.
import { ApprovalAlreadyDecidedError, type ApprovalEffects, type NoticeContext } from '../../../core/approval';
import type { Tx } from '../../../core/db';
import { PermissionError } from '../../../core/errors';
import { currentCard } from '../../cards/current-card';
import type { CardActionDeps, CardCallbackResponse, Click } from '../card-action-types';
import { UPDATE } from './answers';

/** The approval card as it stands now, for the clicking user (public data plus their own private data). */
export async function approvalCard(deps: CardActionDeps, click: Click, note?: string): Promise<CardCallbackResponse> {
  const now = await currentCard(deps, click.card.kind, click.card.subjectId, click.userId);
  // The clicker's buttons follow the record (still theirs to press, or not); a note is theirs alone.
  const own = { actionsVisible: 'false', ...(now.own ?? {}) };
  if (note) Object.assign(own, { statusText: note, statusVisible: 'true' });
  return {
    cardData: { cardParamMap: now.cardParamMap },
    userPrivateData: { cardParamMap: own },
    cardUpdateOptions: UPDATE,
  };
}

/** 1:1 cards: a click on someone else's card (a forged callback) is refused. */
export function assertOwnCard(click: Click): void {
  if (click.card.recipientPersonId && click.card.recipientPersonId !== click.person.id)
    throw new PermissionError('这张卡片不是发给您的，操作无效');
}

/**
 * Runs an approval command in one transaction (core/approval locks the instance row), applies its
 * effects and answers with the card; a click the engine finds already decided (「已由 XXX 处理」)
 * is answered with the card and that note, changing nothing.
 */
export async function runApproval(
  deps: CardActionDeps,
  click: Click,
  command: (tx: Tx, ctx: NoticeContext) => Promise<ApprovalEffects>,
  note?: string,
): Promise<CardCallbackResponse> {
  assertOwnCard(click);
  try {
    const ctx = { publicBaseUrl: deps.publicBaseUrl, timers: deps.approvalTimers };
    const effects = await deps.prisma.$transaction((tx) => command(tx, ctx));
    await deps.apply(effects);
    deps.logger.info(
      { instanceId: effects.instanceId, personId: click.person.id, action: click.action },
      '审批卡片操作已处理',
    );
    return approvalCard(deps, click, note);
  } catch (err) {
    if (err instanceof ApprovalAlreadyDecidedError) return approvalCard(deps, click, err.message);
    throw err;
  }
}

// The answer to a click on a card of the hazard loop that changed the record: logged, and the
// clicker's card as it stands now.
import type { CardActionDeps, CardCallbackResponse, Click } from '../card-action-types';
import { clickersCard } from './answers';

/** Logs the click and answers with the clicker's card now. */
export async function hazardDone(deps: CardActionDeps, click: Click): Promise<CardCallbackResponse> {
  const { card, action, person } = click;
  deps.logger.info({ kind: card.kind, action, subjectId: card.subjectId, personId: person.id }, '卡片操作已处理');
  return clickersCard(deps, card, click.userId);
}

/** `MM-DD HH:mm` in Asia/Shanghai. */
export function shanghaiMinute(at: Date): string {
  return new Date(at.getTime() + 8 * 3600_000).toISOString().slice(5, 16).replace('T', ' ');
}

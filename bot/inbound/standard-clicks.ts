// After a click on a card that needs no template (StandardCard, templates/standard-card.ts),
// whether it came as an HTTP callback or from the action's mini-app page: DingTalk applies no
// answer to a 普通版 card (its answer is UNCONFIRMED to change anything; im_1_0 has an update API
// for it, UpdateRobotInteractiveCard), so the clicked card is brought up to date through that API,
// with the note meant for the clicker alone when the click decided nothing. Template cards are
// answered in the callback as before.
import type { PrismaClient } from '../../core/db';
import type { ApplyEffects } from '../../core/effects';
import { isStandardCard } from '../channels/standard-card';
import type { CardCallbackResponse } from './card-action-types';

/** What the follow-up needs. */
export interface StandardClickDeps {
  prisma: PrismaClient;
  /** Applies effects after commit: here the refresh of the clicked card (with a note for its recipient). */
  apply: ApplyEffects;
}

/** The text a click's answer shows its clicker: their note, else the card's public status. */
export function answerText(res: CardCallbackResponse): string | undefined {
  const own = res.userPrivateData?.cardParamMap;
  if (own?.statusVisible === 'true' && own.statusText) return own.statusText;
  const pub = res.cardData?.cardParamMap;
  return pub?.statusVisible === 'true' && pub.statusText ? pub.statusText : undefined;
}

/** Updates a clicked 普通版 card through the API; template cards are left to the answer. */
export async function updateAfterStandardClick(
  deps: StandardClickDeps,
  outTrackId: string,
  res: CardCallbackResponse,
): Promise<void> {
  const card = await deps.prisma.cardInstance.findUnique({ where: { outTrackId } });
  if (!card || !isStandardCard(card.templateId)) return;
  // A click that changed the record has its cards refreshed by its command; one that did not
  // (a refusal, a missing reason) shows its note on the clicked card only.
  const own = res.userPrivateData?.cardParamMap;
  const note = !res.cardData && own?.statusVisible === 'true' ? own.statusText : undefined;
  const only = { outTrackId, ...(note ? { note: note.slice(0, 200) } : {}) };
  await deps.apply({ deliveryIds: [], refresh: [{ subjectType: card.subjectType, subjectId: card.subjectId, only }] });
}

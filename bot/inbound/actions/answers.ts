// The answers a click handler gives (card-action-types.ts CardCallbackResponse): a note for the
// clicker alone, or the card as it stands now.
import { currentCard } from '../../cards/current-card';
import type { CardActionDeps, CardCallbackResponse } from '../card-action-types';

/** Both the public and the clicker's data are replaced by key. */
export const UPDATE = { updateCardDataByKey: true, updatePrivateDataByKey: true } as const;

/** A message shown only to the user who clicked (private data), e.g. a refusal. */
export function privateNote(text: string): CardCallbackResponse {
  return { userPrivateData: { cardParamMap: { statusText: text, statusVisible: 'true' } }, cardUpdateOptions: UPDATE };
}

/** The card now, its public data only. */
export async function publicCard(deps: CardActionDeps, kind: string, subjectId: string): Promise<CardCallbackResponse> {
  const now = await currentCard(deps, kind, subjectId);
  return { cardData: { cardParamMap: now.cardParamMap }, cardUpdateOptions: UPDATE };
}

/**
 * The card now for the clicker: any earlier note of theirs cleared, so the card shows the new
 * public state, with their own card data (e.g. 「已知悉」 gone once they acknowledged).
 */
export async function clickersCard(
  deps: CardActionDeps,
  card: { kind: string; subjectId: string },
  userId: string,
): Promise<CardCallbackResponse> {
  const now = await currentCard(deps, card.kind, card.subjectId, userId);
  return {
    cardData: { cardParamMap: now.cardParamMap },
    userPrivateData: {
      cardParamMap: {
        statusText: now.cardParamMap.statusText ?? '',
        statusVisible: now.cardParamMap.statusVisible ?? 'false',
        ...(now.own ?? {}),
      },
    },
    cardUpdateOptions: UPDATE,
  };
}

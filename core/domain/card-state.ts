// A card's state for its header (the card templates' zCardState): a few words and a colour, so the
// header says where the matter stands instead of a grey line at the bottom of the card.

/** Header colours the card layouts know (templates/cards/FORMAT.md). */
export type CardTone = 'blue' | 'red' | 'orange' | 'green' | 'grey';

/** The state shown in a card's header, e.g. 【已同意】 in green. */
export interface CardState {
  label: string;
  tone: CardTone;
}

/** A card's status line with its header state (templates zCardStatus). */
export interface CardStatus {
  text: string;
  actionsVisible: boolean;
  state?: CardState;
}

// What each recipient's copy of a message shows now, and since when: a card as its recipient sees
// it (public data plus their private data, replayed through the card's history), a work notice
// with its status bar updates, a recalled message as recalled. Lets a test or a benchmark ask "does
// every copy of the warning say it was lifted, and when did the last one start to" without
// reading 127,000 messages over HTTP.
import type { CardHistoryEntry, SimCard, SimMessage, SimulatorState } from '../state';

/** One copy's state with respect to a text. */
export type CopyState = { shows: true; at: number } | { recalled: true; at: number } | { shows: false };

/** The card data a user sees after each history entry (public merged with the user's private data). */
function cardTimeline(card: SimCard, userId: string): Array<{ at: number; text: string }> {
  let pub: Record<string, string> = {};
  let mine: Record<string, string> = {};
  const out: Array<{ at: number; text: string }> = [];
  for (const h of card.history as CardHistoryEntry[]) {
    // A 普通版 card: each entry is the whole card JSON (the same for every copy).
    if (h.standard) {
      out.push({ at: h.at, text: JSON.stringify(h.standard) });
      continue;
    }
    const o = h.options ?? {};
    if (h.cardData)
      pub = h.source === 'create' || !o.updateCardDataByKey ? { ...h.cardData } : { ...pub, ...h.cardData };
    const p = h.privateData?.[userId];
    if (p) mine = h.source === 'create' || !o.updatePrivateDataByKey ? { ...p } : { ...mine, ...p };
    out.push({ at: h.at, text: JSON.stringify([pub, mine]) });
  }
  return out;
}

/** Whether (and since when) a delivered message shows `text` to its recipient. */
export function copyState(state: SimulatorState, m: SimMessage, text: string): CopyState {
  if (m.recalled) return { recalled: true, at: m.recalledAt ?? m.at };
  if ((m.api === 'card.createAndDeliver' || m.api === 'robot.interactiveCardSend') && m.outTrackId) {
    const card = state.cards.get(m.outTrackId);
    const userId = 'userId' in m.to ? m.to.userId : '';
    if (!card) return { shows: false };
    const timeline = cardTimeline(card, userId);
    // The time it started to show and kept showing.
    let since: number | undefined;
    for (const t of timeline) since = t.text.includes(text) ? (since ?? t.at) : undefined;
    return since === undefined ? { shows: false } : { shows: true, at: since };
  }
  const versions = [{ at: m.at, content: m.content }, ...(m.revisions ?? [])];
  let since: number | undefined;
  for (const v of versions) since = JSON.stringify(v.content).includes(text) ? (since ?? v.at) : undefined;
  return since === undefined ? { shows: false } : { shows: true, at: since };
}

// The per-card update limit (settings.cardUpdatesPerCard): how many updates through the API one
// card instance takes in a sliding window. DingTalk publishes no such limit (UNCONFIRMED,
// docs/cards.md); the simulator has one so that a sender that updates one card in bursts is
// refused here as it could be in a real tenant. Real time, like the per-API quota windows.
import type { SimCard, SimulatorState } from '../state';

/** Admits one update of `card` and records it, or returns false when the card is at its limit. */
export function admitCardUpdate(state: SimulatorState, card: SimCard, now = performance.now()): boolean {
  const limit = state.settings.cardUpdatesPerCard;
  if (!limit) return true;
  const log = (card.apiUpdates ??= []);
  while (log.length > 0 && log[0]! <= now - limit.windowMs) log.shift();
  if (log.length >= limit.max) return false;
  log.push(now);
  return true;
}

// Access-token issuing (§1): 7200 s, the same token while valid (and its life extended),
// interchangeable between the two API families.
import { randomHex } from '../ids';
import type { SimulatorState } from '../state';

/** Issues (or re-issues) the app's token; returns it with the seconds it stays valid. */
export function issueToken(state: SimulatorState, appKey: string): { token: string; expiresIn: number } {
  const now = state.clock.now();
  const ttlMs = state.tokenTtlSeconds * 1000;
  const existing = state.tokenByApp.get(appKey);
  const rec = existing ? state.tokens.get(existing) : undefined;
  if (rec && rec.expiresAt > now) {
    rec.expiresAt = now + ttlMs;
    return { token: rec.token, expiresIn: state.tokenTtlSeconds };
  }
  if (existing) state.tokens.delete(existing);
  const token = randomHex(16);
  state.tokens.set(token, { token, appKey, expiresAt: now + ttlMs });
  state.tokenByApp.set(appKey, token);
  return { token, expiresIn: state.tokenTtlSeconds };
}

/** Invalidates the tokens of one app (or all); returns how many were dropped. */
export function invalidateTokens(state: SimulatorState, appKey?: string): number {
  let n = 0;
  for (const [token, rec] of state.tokens) {
    if (appKey === undefined || rec.appKey === appKey) {
      state.tokens.delete(token);
      state.tokenByApp.delete(rec.appKey);
      n++;
    }
  }
  return n;
}

// POST /__sim/reset: forget traffic (messages, cards, to-dos, stats, faults, rate state), keep the
// tenant (apps, users, groups, templates, webhook robots), tokens, the clock and connections.
import type { SimContext } from '../context';
import { clearQuotaWindows } from '../http/gate';
import type { SimSettings } from '../state';

/** Builds the reset function, remembering the start-up quotas and settings. */
export function makeReset(sim: SimContext): () => void {
  const { state, stream } = sim;
  const quotaDefault = state.quotas.default;
  const quotaPerApi = new Map(state.quotas.perApi);
  const settings: SimSettings = { ...state.settings };
  return () => {
    state.messages.length = 0;
    state.cards.clear();
    state.todos.clear();
    state.stats.clear();
    state.faults.global = {};
    state.faults.perApi.clear();
    state.quotas.default = quotaDefault;
    state.quotas.perApi = new Map(quotaPerApi);
    clearQuotaWindows(state);
    state.workNotices.clear();
    state.workNoticeLog.clear();
    state.robotUserLog.clear();
    state.workNoticeMinute.clear();
    state.dings.clear();
    state.sessions.clear();
    state.authCodes.clear();
    for (const r of state.webhookRobots.values()) {
      r.sentAt = [];
      r.blockedUntil = 0;
    }
    Object.assign(state.settings, settings);
    stream.reset();
    state.events.emit('change', { kind: 'reset' });
  };
}

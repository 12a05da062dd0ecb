// What a core command leaves for after its commit, as one value: the notices to dispatch, the
// cards to refresh and the jobs that follow the change. Every command and every approval hook
// hands back this shape; one function applies it after the commit (workflows/notify/apply-effects.ts),
// wherever the command ran (a route, a card click, a chat message, a job, a timer). To-dos need
// no entry: the to-do follower derives them from the audit events the change committed
// (core/todos/follow.ts).

/**
 * A subject whose cards must be refreshed after commit: every card about it, for every recipient.
 * A hazard's cards include the verify cards of its rectifications.
 */
export interface CardSubject {
  subjectType: string;
  subjectId: string;
  /** Every subject id starting with subjectId (e.g. every unit's cards about one warning). */
  prefix?: boolean;
}

/** A job that follows a change, queued after its commit. */
export type FollowUp =
  /** Copies of a warning already sent must show a change: an update or the cancellation. */
  | { kind: 'warning.copies'; warningId: string; what: 'update' | 'cancel'; version: number }
  /** A unit's first answer to a warning: its other copies and the regulators' rate follow. */
  | { kind: 'warning.answered'; warningId: string; unitId: string }
  /** The first line of a warning's newly covered units: written and sent by warning.fan-out. */
  | { kind: 'warning.fan-out'; warningId: string; version: number };

/** What a command leaves for after its commit. */
export interface Effects {
  /** Outbox rows written by the command, dispatched after commit. */
  deliveryIds: string[];
  /** Subjects whose cards show the changed state. */
  refresh?: CardSubject[];
  /** Jobs that follow the change. */
  follow?: FollowUp[];
}

/** Applies a command's effects after its commit (one function per process, see core/effects.ts). */
export type ApplyEffects = (effects: Effects) => Promise<void>;

/** Nothing to do after commit. */
export function noEffects(): Effects {
  return { deliveryIds: [], refresh: [], follow: [] };
}

/** The effects of several commands (or of a command and its hooks) as one. */
export function mergeEffects(...parts: Array<Effects | undefined>): Effects {
  const out = noEffects();
  for (const p of parts) {
    if (!p) continue;
    out.deliveryIds.push(...p.deliveryIds);
    out.refresh!.push(...(p.refresh ?? []));
    out.follow!.push(...(p.follow ?? []));
  }
  return out;
}

/** The cards of one subject to refresh, with no notices. */
export function refreshOf(subjectType: string, subjectId: string): Effects {
  return { deliveryIds: [], refresh: [{ subjectType, subjectId }] };
}

// What an approval command leaves for after its commit: the notices to dispatch and the cards to
// refresh. Outcome hooks hand theirs back the same way, so a hook's notices leave with the
// decision's own (no timer needed to carry them).

/** A card subject whose cards must be refreshed after commit. */
export interface CardSubject {
  /** The approval's own cards, or the cards of the subject an outcome hook changed (a hazard). */
  subjectType: 'approval' | 'approval-step' | 'hazard';
  subjectId: string;
}

/** What an outcome hook leaves for after the commit. */
export interface HookEffects {
  deliveryIds: string[];
  refresh: CardSubject[];
}

/** What a command leaves for after the commit. */
export interface ApprovalEffects extends HookEffects {
  instanceId: string;
}

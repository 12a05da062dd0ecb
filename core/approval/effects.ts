// What an approval command leaves for after its commit: the effects value every core command
// returns (core/effects.ts), with the instance it acted on. Outcome hooks hand theirs back the same
// way, so a hook's notices leave with the decision's own (no timer needed to carry them).
import type { CardSubject, Effects } from '../effects';

export type { CardSubject } from '../effects';

/** What an outcome hook leaves for after the commit. */
export interface HookEffects extends Effects {
  refresh: CardSubject[];
}

/** What a command leaves for after the commit. */
export interface ApprovalEffects extends HookEffects {
  instanceId: string;
}

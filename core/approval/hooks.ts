// Per-definition hooks, run inside the deciding transaction: what an approval means for its
// subject (an approved 整改延期 moves the hazard's deadline, an approved 设计审核 marks the permit
// approved) commits or rolls back together with the decision itself. The hooks of the shipped
// definitions are listed in hook-list.ts; this file holds their types.
import type { Tx } from '../db';
import type { HookEffects } from './effects';
import type { NoticeContext } from './notice-data';
import type { ApprovalInstanceModel as ApprovalInstance } from '../db/generated/models';

/** How an approval ended. */
export interface ApprovalOutcome {
  kind: 'APPROVED' | 'REJECTED' | 'WITHDRAWN';
  /** Who decided (the applicant for WITHDRAWN); null = the system (a step's time-out). */
  byPersonId: string | null;
  comment: string | null;
  at: Date;
}

/** A step along the way: a step approved with more to come, or a resubmission. */
export type ApprovalProgress =
  | { kind: 'STEP_APPROVED'; stepIndex: number; stepName: string; byPersonId: string | null; at: Date }
  | { kind: 'RESUBMITTED'; round: number; byPersonId: string; at: Date };

/**
 * Hook on a final outcome. It returns what it leaves for after the commit (its notices, the cards
 * of the subject it changed); the engine hands that back to its caller with the decision's own.
 */
export type OutcomeHook = (
  tx: Tx,
  instance: ApprovalInstance,
  outcome: ApprovalOutcome,
  ctx: NoticeContext,
) => Promise<HookEffects | void>;
/** Hook on progress. */
export type ProgressHook = (tx: Tx, instance: ApprovalInstance, progress: ApprovalProgress) => Promise<void>;

/** The hooks of one definition. */
export interface DefinitionHooks {
  outcome?: OutcomeHook;
  progress?: ProgressHook;
}

/** Hooks added at run time, after the listed ones (a tenant's own definitions; tests). */
export const addedHooks = { outcome: new Map<string, OutcomeHook[]>(), progress: new Map<string, ProgressHook[]>() };

/**
 * Adds a hook run when an approval of `definitionKey` ends, after the listed ones, in the same
 * transaction as the decision; throwing rolls the decision back.
 */
export function onApprovalOutcome(definitionKey: string, hook: OutcomeHook): void {
  addedHooks.outcome.set(definitionKey, [...(addedHooks.outcome.get(definitionKey) ?? []), hook]);
}

/** Adds a hook run on a step approved (not the last) or a resubmission, in the same transaction. */
export function onApprovalProgress(definitionKey: string, hook: ProgressHook): void {
  addedHooks.progress.set(definitionKey, [...(addedHooks.progress.get(definitionKey) ?? []), hook]);
}

// The hooks of the shipped approval definitions, listed here rather than registered by importing
// their modules: a permit's hook exists whichever routers a process starts.
import type { Tx } from '../db';
import type { ApprovalInstanceModel as ApprovalInstance } from '../db/generated/models';
import { EXTENSION_APPROVAL, extensionOutcome } from '../hazard/extension-decision';
import { PERMIT_DEFINITION, permitHooks } from '../permit/hooks';
import type { HookEffects } from './effects';
import { addedHooks, type ApprovalOutcome, type ApprovalProgress, type DefinitionHooks } from './hooks';
import type { NoticeContext } from './notice-data';

/** Definition key → its hooks. */
export const APPROVAL_HOOKS: Readonly<Record<string, DefinitionHooks>> = {
  [EXTENSION_APPROVAL]: { outcome: extensionOutcome },
  [PERMIT_DEFINITION.DESIGN_REVIEW]: permitHooks,
  [PERMIT_DEFINITION.COMPLETION_ACCEPTANCE]: permitHooks,
};

/** Runs the outcome hooks of `key`; returns what they leave for after the commit. */
export async function runOutcomeHooks(
  tx: Tx,
  key: string,
  instance: ApprovalInstance,
  outcome: ApprovalOutcome,
  ctx: NoticeContext,
): Promise<HookEffects> {
  const effects: HookEffects = { deliveryIds: [], refresh: [] };
  const listed = APPROVAL_HOOKS[key]?.outcome;
  for (const h of [...(listed ? [listed] : []), ...(addedHooks.outcome.get(key) ?? [])]) {
    const more = await h(tx, instance, outcome, ctx);
    if (more) {
      effects.deliveryIds.push(...more.deliveryIds);
      effects.refresh.push(...more.refresh);
    }
  }
  return effects;
}

/** Runs the progress hooks of `key`. */
export async function runProgressHooks(
  tx: Tx,
  key: string,
  instance: ApprovalInstance,
  progress: ApprovalProgress,
): Promise<void> {
  const listed = APPROVAL_HOOKS[key]?.progress;
  for (const h of [...(listed ? [listed] : []), ...(addedHooks.progress.get(key) ?? [])])
    await h(tx, instance, progress);
}

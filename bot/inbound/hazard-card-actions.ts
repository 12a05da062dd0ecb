// Clicks on the cards of the hazard loop: 已知悉 (alert card), 通过/驳回 (整改复核 card, the reason
// typed in the card's input), and 提交 on the chat self-check card, whose failed items become
// hazards. Extension requests are approval cards (core/approval, bot/inbound/approval-actions.ts).
// Each becomes a core command; the core checks permission and state, so a stale or duplicate click
// gets a clear answer and changes nothing.
import { acknowledgeHazard } from '../../core/hazard/acknowledge';
import { assertRegulatorOf } from '../../core/authz/person-checks';
import { verifyRectification } from '../../core/hazard/rectification';
import { hazardNo } from '../../core/hazard/hazard-no';
import { submitSelfCheckCard } from '../../core/inspection/self-check';
import type { ApprovalTimerOffsets } from '../../core/approval/timer-offsets';
import type { ApplyEffects } from '../../core/effects';
import type { PlanSettings } from '../../core/hazard/plan';
import type { PrismaClient } from '../../core/db';
import type { Logger } from '../../core/logger';
import { ConflictError } from '../../core/errors';

/** What the hazard actions need. */
export interface HazardActionDeps {
  prisma: PrismaClient;
  logger: Logger;
  publicBaseUrl: string;
  reworkWorkingDays: number;
  /** The plan new hazards take (config.hazard); default DEFAULT_PLAN_SETTINGS. */
  plan?: PlanSettings;
  /** Offsets of the timers of approval steps a command starts (config.approval); default DEFAULT_TIMER_OFFSETS. */
  approvalTimers?: ApprovalTimerOffsets;
  /** Applies a command's effects after its commit (workflows/notify/apply-effects.ts). */
  apply: ApplyEffects;
}

/** Outcome of a click: the card is refreshed (`done`), or a note is shown to the clicker only. */
export type ActionOutcome = { kind: 'done'; hazardId: string } | { kind: 'note'; text: string };

/**
 * Runs one click. Returns undefined for a kind/action pair this module does not handle. Errors
 * (permission, state, input) propagate as AppErrors; the caller turns them into card notes.
 */
export async function runHazardAction(
  deps: HazardActionDeps,
  card: { kind: string; subjectId: string },
  action: string,
  personId: string,
  params: Record<string, unknown> = {},
): Promise<ActionOutcome | undefined> {
  const opts = { publicBaseUrl: deps.publicBaseUrl, via: 'card' as const, approvalTimers: deps.approvalTimers };
  if (card.kind === 'hazard-alert' && action === 'ack') {
    const res = await acknowledgeHazard(deps.prisma, card.subjectId, personId, 'card');
    if (res.alreadyAcknowledged) return { kind: 'note', text: `您已于 ${fmt(res.at)} 确认知悉，无需重复操作` };
    await deps.apply(res);
    return { kind: 'done', hazardId: res.hazardId };
  }
  if (card.kind === 'rectification-verify' && action === 'approve') {
    const res = await verifyRectification(
      deps.prisma,
      personId,
      card.subjectId,
      { decision: 'APPROVED' },
      { ...opts, reworkWorkingDays: deps.reworkWorkingDays },
    );
    await deps.apply(res);
    return { kind: 'done', hazardId: res.hazardId };
  }
  if (card.kind === 'rectification-verify' && action === 'reject') {
    const reason = typeof params['reason'] === 'string' ? params['reason'].trim() : '';
    if (reason.length >= 2) {
      const res = await verifyRectification(
        deps.prisma,
        personId,
        card.subjectId,
        { decision: 'REJECTED', reason },
        { ...opts, reworkWorkingDays: deps.reworkWorkingDays },
      );
      await deps.apply(res);
      return { kind: 'done', hazardId: res.hazardId };
    }
    // A reason is required: check that the click could succeed, then ask for it (card, chat or page).
    const rect = await deps.prisma.rectification.findUniqueOrThrow({
      where: { id: card.subjectId },
      include: { hazard: true },
    });
    await deps.prisma.$transaction((tx) => assertRegulatorOf(tx, personId, rect.hazard.unitId));
    if (rect.decision || rect.hazard.status !== 'SUBMITTED')
      throw new ConflictError('RECTIFICATION_DECIDED', '该整改已复核或已失效，无需重复操作');
    return {
      kind: 'note',
      text: `驳回须填写理由：请在卡片上填写驳回理由后再点「驳回」，或回复「驳回 ${hazardNo(rect.hazardId)} 理由」`,
    };
  }
  if (card.kind === 'self-check' && action === 'submit') {
    const res = await submitSelfCheckCard(deps.prisma, personId, card.subjectId, params, {
      publicBaseUrl: deps.publicBaseUrl,
      plan: deps.plan,
    });
    await deps.apply(res);
    return { kind: 'done', hazardId: res.hazardIds[0] ?? '' };
  }
  return undefined;
}

function fmt(at: Date): string {
  return new Date(at.getTime() + 8 * 3600_000).toISOString().slice(5, 16).replace('T', ' ');
}

// Clicks on the cards of the hazard loop: 已知悉 (alert card), 通过/驳回 (整改复核 card). Extension
// requests are approval cards (core/approval, bot/inbound/approval-actions.ts). Each becomes a core command; the core checks permission and
// state, so a stale or duplicate click gets a clear answer and changes nothing.
import { acknowledgeHazard } from '../../core/hazard/acknowledge';
import { assertRegulatorOf } from '../../core/hazard/people';
import { verifyRectification } from '../../core/hazard/rectification';
import { hazardNo } from '../../core/hazard/hazard-no';
import type { AfterHazardCommand } from '../../core/hazard/transition';
import type { PrismaClient } from '../../core/db';
import type { Logger } from '../../core/logger';
import { ConflictError } from '../../core/errors';

/** What the hazard actions need. */
export interface HazardActionDeps {
  prisma: PrismaClient;
  logger: Logger;
  publicBaseUrl: string;
  reworkWorkingDays: number;
  afterCommand: AfterHazardCommand;
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
): Promise<ActionOutcome | undefined> {
  const opts = { publicBaseUrl: deps.publicBaseUrl, via: 'card' as const };
  if (card.kind === 'hazard-alert' && action === 'ack') {
    const res = await acknowledgeHazard(deps.prisma, card.subjectId, personId, 'card');
    if (res.alreadyAcknowledged) return { kind: 'note', text: `您已于 ${fmt(res.at)} 确认知悉，无需重复操作` };
    await deps.afterCommand({ hazardId: res.hazardId, deliveryIds: [] });
    return { kind: 'done', hazardId: res.hazardId };
  }
  if (card.kind === 'rectification-verify' && action === 'approve') {
    const res = await verifyRectification(deps.prisma, personId, card.subjectId, { decision: 'APPROVED' }, { ...opts, reworkWorkingDays: deps.reworkWorkingDays });
    await deps.afterCommand(res);
    return { kind: 'done', hazardId: res.hazardId };
  }
  if (card.kind === 'rectification-verify' && action === 'reject') {
    // A reason is required and a card click carries none: check that the click could succeed,
    // then ask for the reason in chat or on the detail page.
    const rect = await deps.prisma.rectification.findUniqueOrThrow({ where: { id: card.subjectId }, include: { hazard: true } });
    await deps.prisma.$transaction((tx) => assertRegulatorOf(tx, personId, rect.hazard.unitId));
    if (rect.decision || rect.hazard.status !== 'SUBMITTED') throw new ConflictError('RECTIFICATION_DECIDED', '该整改已复核或已失效，无需重复操作');
    return { kind: 'note', text: `驳回须填写理由：请回复「驳回 ${hazardNo(rect.hazardId)} 理由」，或点击「查看详情」填写` };
  }
  return undefined;
}

function fmt(at: Date): string {
  return new Date(at.getTime() + 8 * 3600_000).toISOString().slice(5, 16).replace('T', ' ');
}

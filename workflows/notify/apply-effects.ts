// The one function that applies a command's effects after its commit (core/effects.ts): queues the
// jobs that follow the change, refreshes the cards of the subjects it changed, and dispatches its
// deliveries. Follow-ups and refreshes go first: a warning's dispatch to thousands of units takes
// seconds, and its copies already sent must not wait for it. Safe to run twice: a refresh is
// level-triggered, a delivery is sent only by the job that claims it.
import type { CardSubject, Effects } from '../../core/effects';
import type { PrismaClient } from '../../core/db';
import { WARNING_SUBJECT } from '../../core/warning/warning-cards';
import type { WorkflowDeps } from '../deps';
import type { JobQueues } from '../job-queues';
import { dispatchDeliveries } from './dispatch';

const RATE_REFRESH_MS = 1000;

/** Applies `effects` (after the transaction that produced them has committed). */
export async function applyEffects(deps: WorkflowDeps, effects: Effects): Promise<void> {
  for (const f of effects.follow ?? []) {
    if (f.kind === 'warning.copies')
      await deps.queues.enqueue('warning.copies', { warningId: f.warningId, what: f.what, version: f.version });
    else if (f.kind === 'warning.fan-out') await queueFanOut(deps.queues, f.warningId, f.version);
    else await deps.queues.enqueue('warning.answered', { warningId: f.warningId, unitId: f.unitId });
  }
  for (const s of await expandSubjects(deps.prisma, effects.refresh ?? [])) await queueCardRefresh(deps.queues, s);
  if (effects.deliveryIds.length > 0) await dispatchDeliveries(deps, effects.deliveryIds);
}

/** A hazard's cards are its own (the alert cards) and the verify cards of its rectifications. */
async function expandSubjects(prisma: PrismaClient, subjects: CardSubject[]): Promise<CardSubject[]> {
  const out: CardSubject[] = [];
  for (const s of subjects) {
    out.push(s);
    if (s.subjectType !== 'hazard') continue;
    const rects = await prisma.rectification.findMany({ where: { hazardId: s.subjectId }, select: { id: true } });
    out.push(...rects.map((r) => ({ subjectType: 'rectification', subjectId: r.id })));
  }
  return out;
}

/** Queues a warning's fan-out (one job per warning version; the reconciler's have their own id). */
export async function queueFanOut(queues: JobQueues, warningId: string, version: number, again = false) {
  await queues.enqueue(
    'warning.fan-out',
    { warningId },
    { jobId: `fanout-${warningId}-${version}${again ? `-${Date.now()}` : ''}` },
  );
}

/**
 * Queues one card refresh. The regulators' rate card of a warning at most once per second per
 * warning: the card is level-triggered, so the refresh that runs last shows every answer before it.
 */
export async function queueCardRefresh(queues: JobQueues, s: CardSubject): Promise<void> {
  const throttled = s.subjectType === WARNING_SUBJECT && !s.prefix;
  await queues.enqueue(
    'notify.card-refresh',
    { subjectType: s.subjectType, subjectId: s.subjectId, prefix: s.prefix },
    throttled
      ? { delay: RATE_REFRESH_MS, deduplication: { id: `warning-rate:${s.subjectId}`, ttl: RATE_REFRESH_MS } }
      : {},
  );
}

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
  await queueCardRefreshes(deps.queues, await expandSubjects(deps.prisma, effects.refresh ?? []));
  if (effects.deliveryIds.length > 0) await dispatchDeliveries(deps, effects.deliveryIds);
}

/**
 * A hazard's cards are its own (the alert cards) and the verify cards of its rectifications, read
 * for all the hazards in one query; each hazard's verify cards follow it.
 */
async function expandSubjects(prisma: PrismaClient, subjects: CardSubject[]): Promise<CardSubject[]> {
  const hazardIds = [...new Set(subjects.filter((s) => s.subjectType === 'hazard').map((s) => s.subjectId))];
  if (hazardIds.length === 0) return subjects;
  const rects = await prisma.rectification.findMany({
    where: { hazardId: { in: hazardIds } },
    select: { id: true, hazardId: true },
  });
  const byHazard = new Map<string, CardSubject[]>();
  for (const r of rects)
    byHazard.set(r.hazardId, [...(byHazard.get(r.hazardId) ?? []), { subjectType: 'rectification', subjectId: r.id }]);
  return subjects.flatMap((s) => (s.subjectType === 'hazard' ? [s, ...(byHazard.get(s.subjectId) ?? [])] : [s]));
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
 * One card refresh job. The regulators' rate card of a warning at most once per second per
 * warning: the card is level-triggered, so the refresh that runs last shows every answer before it.
 */
function cardRefreshJob(s: CardSubject) {
  const throttled = s.subjectType === WARNING_SUBJECT && !s.prefix && !s.only;
  return {
    payload: {
      subjectType: s.subjectType,
      subjectId: s.subjectId,
      prefix: s.prefix,
      ...(s.only?.note ? { note: { outTrackId: s.only.outTrackId, text: s.only.note } } : {}),
      ...(s.only && !s.only.note ? { outTrackId: s.only.outTrackId } : {}),
    },
    opts: throttled
      ? { delay: RATE_REFRESH_MS, deduplication: { id: `warning-rate:${s.subjectId}`, ttl: RATE_REFRESH_MS } }
      : {},
  };
}

/** Queues one card refresh (see cardRefreshJob). */
export async function queueCardRefresh(queues: JobQueues, s: CardSubject): Promise<void> {
  await queueCardRefreshes(queues, [s]);
}

/** Queues the card refreshes of several subjects in one round trip, in their order. */
export async function queueCardRefreshes(queues: JobQueues, subjects: CardSubject[]): Promise<void> {
  await queues.enqueueBulk('notify.card-refresh', subjects.map(cardRefreshJob));
}

// After a warning's transaction commits (issue #20): dispatch its deliveries, bring the copies
// already sent up to date (warning.copies) and refresh cards. Refreshes of the regulators' rate
// card are throttled (one per second per warning): the card is level-triggered, so the refresh that
// runs last shows every answer before it.
import type { RefreshRequest, WarningChange } from '../../core/warning/issue-warning';
import { WARNING_SUBJECT } from '../../core/warning/warning-cards';
import type { JobQueues } from '../job-queues';

const RATE_REFRESH_MS = 1000;

/** Queues one card refresh; the regulators' rate card at most once per second per warning. */
export async function queueCardRefresh(queues: JobQueues, r: RefreshRequest): Promise<void> {
  const throttled = r.subjectType === WARNING_SUBJECT && !r.prefix;
  await queues.enqueue(
    'notify.card-refresh',
    { subjectType: r.subjectType, subjectId: r.subjectId, prefix: r.prefix },
    throttled
      ? { delay: RATE_REFRESH_MS, deduplication: { id: `warning-rate:${r.subjectId}`, ttl: RATE_REFRESH_MS } }
      : {},
  );
}

/** Queues a warning's fan-out (one job per warning version; the reconciler's have their own id). */
export async function queueFanOut(queues: JobQueues, warningId: string, version: number, again = false) {
  await queues.enqueue(
    'warning.fan-out',
    { warningId },
    { jobId: `fanout-${warningId}-${version}${again ? `-${Date.now()}` : ''}` },
  );
}

/** Dispatches, updates and refreshes what a warning change asked for. */
export async function afterWarningChange(
  deps: { queues: JobQueues; dispatch(ids: string[]): Promise<unknown> },
  change: WarningChange,
): Promise<void> {
  if (change.copies) {
    await deps.queues.enqueue('warning.copies', {
      warningId: change.warningId,
      what: change.copies,
      version: change.version,
    });
  }
  // The first line of newly covered units: written and sent by warning.fan-out.
  if (change.fanOut) await queueFanOut(deps.queues, change.warningId, change.version);
  for (const r of change.refresh) await queueCardRefresh(deps.queues, r);
  if (change.deliveryIds.length > 0) await deps.dispatch(change.deliveryIds);
}

/** After a unit's first answer: its other copies and the regulators' rate. */
export async function afterWarningAnswer(queues: JobQueues, warningId: string, unitId: string): Promise<void> {
  await queues.enqueue('warning.answered', { warningId, unitId });
}

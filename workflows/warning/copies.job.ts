// warning.copies: after an update or the cancellation of a warning, every copy already sent shows
// it within seconds (issue #20): shared cards (notify.card-update, one card at a time), OA work
// notices (one status-bar call per task), DINGs and robot messages recalled on cancellation (each
// robot recipient also gets the cancellation notice). Unit cards of the one-card-per-unit design and
// the regulators' card are refreshed by notify.card-refresh. Copies still being sent are waited for
// first; a newer change of the warning takes the work over.
import { z } from 'zod';
import { UNIT_SUBJECT } from '../../core/warning/warning-cards';
import { defineJob } from '../job';
import { recallDings, recallRobotMessages, updateSharedCards, updateStatusBars } from './copies';

/** How long to wait for first-line messages still in flight before updating the copies. */
const SETTLE_WAIT_MS = 30_000;

export const warningCopiesJob = defineJob({
  name: 'warning.copies',
  queue: 'notify',
  schema: z.object({
    warningId: z.string().min(1).max(64),
    what: z.enum(['update', 'cancel']),
    /** The warning's version after the change. */
    version: z.number().int().min(1),
  }),
  defaults: { priority: 1 },
  async handle({ warningId, what, version }, _job, { deps, signal }) {
    const stillCurrent = async () =>
      (await deps.prisma.lightningWarning.findUnique({ where: { id: warningId }, select: { version: true } }))
        ?.version === version;
    // A copy exists once DingTalk has answered its send: wait for the sends in flight.
    const until = Date.now() + SETTLE_WAIT_MS;
    while (Date.now() < until && !signal.aborted) {
      const sending = await deps.prisma.delivery.count({
        where: { subjectType: UNIT_SUBJECT, subjectId: { startsWith: `${warningId}|` }, status: 'SENDING' },
      });
      if (sending === 0) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    if (!(await stillCurrent())) return { skipped: '预警已有更新的变更，由其任务更新已发出的消息' };
    const status =
      what === 'cancel' ? { value: '已解除', bg: 'FF78909C' } : { value: '已更新，请查看', bg: 'FFB3261E' };
    const [shared, workNotices, dings, robot] = await Promise.all([
      updateSharedCards(deps, warningId),
      updateStatusBars(deps, warningId, status, stillCurrent),
      what === 'cancel' ? recallDings(deps, warningId) : Promise.resolve(0),
      what === 'cancel' ? recallRobotMessages(deps, warningId) : Promise.resolve(0),
    ]);
    return { shared, workNotices, dings, robot };
  },
});

// digest.run: the leaders' morning digest (issue #8 part 1), a BullMQ job scheduler on the
// scheduler role (DIGEST_CRON, Asia/Shanghai). On rest days of the Chinese calendar (weekends
// and public holidays, with 调休 working days counted as working days) DIGEST_ON_HOLIDAYS decides:
// skip, the short form, or the usual digest. Mondays carry the week's trend.
import { z } from 'zod';
import { digestPlan, queueDigests } from '../../core/digest/queue-digests';
import { defineJob } from '../job';
import { applyEffects } from '../notify/apply-effects';

export const digestJob = defineJob({
  name: 'digest.run',
  queue: 'system',
  schedule: { repeat: (config) => ({ pattern: config.digest.cron, tz: config.calendar.timeZone }) },
  /** `at`: run as of this instant (operators re-sending a day); default now. */
  schema: z.object({ at: z.iso.datetime({ offset: true }).optional() }),
  defaults: { attempts: 3 },
  async handle({ at }, _job, { deps }) {
    const now = at ? new Date(at) : new Date();
    const plan = digestPlan(now, deps.config.digest.onHolidays);
    if (plan.skip) return { skipped: 'rest-day' };
    const ids = await queueDigests(deps.prisma, {
      now,
      publicBaseUrl: deps.publicBaseUrl,
      mode: plan.mode,
      weekly: plan.weekly,
      groupRobotId: deps.config.digest.groupRobotId,
    });
    await applyEffects(deps, { deliveryIds: ids });
    return { queued: ids.length, weekly: plan.weekly };
  },
});

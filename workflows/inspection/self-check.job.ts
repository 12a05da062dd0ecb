// inspection.self-check: the chat self-check before the thunderstorm season (issue #7 item 6), a
// BullMQ job scheduler on the scheduler role (SELF_CHECK_CRON, Asia/Shanghai). Opens a self-check
// for every unit due one and sends its managers the card (core/inspection/self-check.ts); a rerun
// finds those units no longer due and sends nothing twice.
import { z } from 'zod';
import { startSelfChecks } from '../../core/inspection/self-check';
import { defineJob } from '../job';
import { applyEffects } from '../notify/apply-effects';

export const selfCheckJob = defineJob({
  name: 'inspection.self-check',
  queue: 'system',
  schedule: { repeat: (config) => ({ pattern: config.inspection.selfCheckCron, tz: config.calendar.timeZone }) },
  /** `at`: run as of this instant (operators, tests); default now. */
  schema: z.object({ at: z.iso.datetime({ offset: true }).optional() }),
  defaults: { attempts: 3 },
  async handle({ at }, _job, { deps }) {
    const run = await startSelfChecks(deps.prisma, {
      now: at ? new Date(at) : new Date(),
      intervalDays: deps.config.inspection.selfCheckIntervalDays,
      publicBaseUrl: deps.publicBaseUrl,
    });
    await applyEffects(deps, run);
    return { inspections: run.inspectionIds.length, cards: run.deliveryIds.length };
  },
});

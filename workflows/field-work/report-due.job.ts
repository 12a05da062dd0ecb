// field-work.report-due: the daily report-deadline scan of testing plans (issue #22 part 3), a
// BullMQ job scheduler on the scheduler role (TEST_DUE_CRON, Asia/Shanghai). Level-triggered and
// idempotent (core/field-work/report-due.ts): a missed day is caught up by the next run, a rerun
// sends nothing twice.
import { z } from 'zod';
import { queueReportDueNotices } from '../../core/field-work/report-due';
import { defineJob } from '../job';
import { applyEffects } from '../notify/apply-effects';

export const reportDueJob = defineJob({
  name: 'field-work.report-due',
  queue: 'system',
  schedule: { repeat: (config) => ({ pattern: config.testReport.dueCron, tz: config.calendar.timeZone }) },
  /** `at`: run as of this instant (operators replaying a day); default now. */
  schema: z.object({ at: z.iso.datetime({ offset: true }).optional() }),
  defaults: { attempts: 3, removeOnComplete: 50, removeOnFail: 50 },
  async handle({ at }, _job, { deps }) {
    const res = await queueReportDueNotices(deps.prisma, {
      now: at ? new Date(at) : new Date(),
      remindWorkingDays: deps.config.fieldWork.reportRemindWorkingDays,
      publicBaseUrl: deps.publicBaseUrl,
    });
    await applyEffects(deps, res);
    return { reminded: res.reminded, late: res.late, lists: res.lists, deliveries: res.deliveryIds.length };
  },
});

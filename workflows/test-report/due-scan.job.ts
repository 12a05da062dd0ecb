// test-report.due-scan: the daily periodic-test scan (issue #8 part 8), a BullMQ job scheduler on
// the scheduler role (TEST_DUE_CRON, Asia/Shanghai). Level-triggered and idempotent
// (core/test-report/test-due.ts): a missed day is caught up by the next run, a rerun sends nothing twice.
// The units it finds in a stage get their 「安排防雷装置定期检测」 to-dos with the notice (TODO_SYNC;
// core/todos/subjects/test-due.ts); the to-do sweep would find them too, later.
import { z } from 'zod';
import { queueTestDueReminders } from '../../core/test-report/test-due';
import { defineJob } from '../job';
import { applyEffects } from '../notify/apply-effects';
import { deriveAndQueue } from '../todos/derive';

export const testDueJob = defineJob({
  name: 'test-report.due-scan',
  queue: 'system',
  schedule: { repeat: (config) => ({ pattern: config.testReport.dueCron, tz: config.calendar.timeZone }) },
  /** `at`: run as of this instant (operators replaying a day); default now. */
  schema: z.object({ at: z.iso.datetime({ offset: true }).optional() }),
  defaults: { attempts: 3, removeOnComplete: 50, removeOnFail: 50 },
  async handle({ at }, _job, { deps }) {
    const res = await queueTestDueReminders(deps.prisma, {
      now: at ? new Date(at) : new Date(),
      remindDays: deps.config.testReport.dueRemindDays,
      publicBaseUrl: deps.publicBaseUrl,
    });
    await applyEffects(deps, res);
    // To-dos show the present (a replayed day's notices do not reopen a past period's to-do).
    const units = res.unitIds.map((id) => ({ type: 'test-due', id }));
    const todos = deps.config.todo.sync ? await deriveAndQueue(deps, units) : 0;
    return {
      reminded: res.reminded,
      overdue: res.overdue,
      lists: res.lists,
      deliveries: res.deliveryIds.length,
      todos,
    };
  },
});

// credit.evaluate: the yearly credit evaluation of every testing agency (issue #8 part 9), a BullMQ
// job scheduler on the scheduler role (CREDIT_CRON, Asia/Shanghai; default 2 January, for the year
// just ended). Each agency's grade then sets its reports' spot-check ratio for the year ahead.
// Idempotent: an evaluation of the same year replaces the earlier one.
import { z } from 'zod';
import { evaluateAgencyCredit } from '../../core/credit/agency-credit';
import { shanghaiDate } from '../../core/domain/working-days';
import { defineJob } from '../job';

export const creditEvaluateJob = defineJob({
  name: 'credit.evaluate',
  queue: 'system',
  schedule: { repeat: (config) => ({ pattern: config.testReport.creditCron, tz: config.calendar.timeZone }) },
  /** `year`: the calendar year to evaluate; default the year before today's (Asia/Shanghai). */
  schema: z.object({ year: z.number().int().min(2000).max(2100).optional() }),
  defaults: { attempts: 3, removeOnComplete: 50, removeOnFail: 50 },
  async handle({ year }, _job, { deps, logger }) {
    const y = year ?? Number(shanghaiDate(new Date()).slice(0, 4)) - 1;
    const agencies = await deps.prisma.agency.findMany({ select: { id: true }, orderBy: { id: 'asc' } });
    const grades: Record<string, number> = {};
    for (const a of agencies) {
      const r = await evaluateAgencyCredit(deps.prisma, a.id, y);
      grades[r.grade] = (grades[r.grade] ?? 0) + 1;
    }
    logger.info({ year: y, agencies: agencies.length, grades }, '检测机构信用评价完成');
    return { year: y, agencies: agencies.length, grades };
  },
});

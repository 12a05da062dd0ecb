// ranking.run: computes and publishes the duty ranking of a period (issue #6 part 2). Scheduled by
// the scheduler role (RANKING_CRON, Asia/Shanghai) for the last complete period; it can also be
// enqueued for any period (the admin API computes and publishes in the request instead).
// Idempotent: a published period is left as it is.
import { z } from 'zod';
import { computeRanking } from '../../core/ranking/compute';
import { rankingRules } from '../../core/ranking/indicators';
import { lastCompletePeriod } from '../../core/ranking/period';
import { publishRanking } from '../../core/ranking/publish';
import { defineJob } from '../job';
import { applyEffects } from '../notify/apply-effects';

export const rankingRunJob = defineJob({
  name: 'ranking.run',
  queue: 'system',
  schedule: { repeat: (config) => ({ pattern: config.ranking.cron, tz: config.calendar.timeZone }) },
  schema: z.object({
    /** "2026-10" / "2026-Q4"; default: the last complete period of RANKING_PERIOD. */
    period: z.string().optional(),
    /** Publish (notices, reminders, proposals) after computing; default true. */
    publish: z.boolean().optional(),
  }),
  defaults: { attempts: 3, removeOnComplete: 50, removeOnFail: 50 },
  async handle(payload, _job, { deps, logger }) {
    const rules = rankingRules(deps.config);
    const period = payload.period ?? lastCompletePeriod(deps.config.ranking.period, new Date()).key;
    const published = await deps.prisma.dutyRanking.count({ where: { period, publishedAt: { not: null } } });
    if (published > 0) return { period, skipped: 'published' };
    const computed = await computeRanking(deps.prisma, period, rules);
    logger.info(computed, '主体责任排名已计算');
    if (payload.publish === false) return computed;
    const res = await publishRanking(deps.prisma, period, rules, {
      config: deps.config,
      publicBaseUrl: deps.publicBaseUrl,
    });
    await applyEffects(deps, res);
    return { ...computed, reminders: res.reminders, proposals: res.proposals, deliveries: res.deliveryIds.length };
  },
});

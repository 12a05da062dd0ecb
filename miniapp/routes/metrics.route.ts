// GET /metrics: Prometheus text from the shared registry; queue gauges are refreshed per scrape.
import Router from '@koa/router';
import type { Logger } from 'pino';
import { publicRoute } from '../../core/authz';
import { registry, updateQueueGauges, type QueueCounts } from '../../core/metrics';

/** GET /metrics. */
export function metricsRouter(d: {
  queues: readonly QueueCounts[];
  logger: Logger;
  /** Refreshes gauges read from shared state at scrape time (DingTalk's learned rates and month). */
  collect?: () => Promise<void>;
}): Router {
  const router = new Router();
  router.get('/metrics', publicRoute('Prometheus scrape; counts only, no personal data'), async (ctx) => {
    const { failed } = await updateQueueGauges(d.queues);
    if (failed.length) d.logger.warn({ queues: failed }, 'queue counts unavailable for metrics scrape');
    await d.collect?.().catch((err: unknown) => d.logger.warn({ err }, 'quota state unavailable for metrics scrape'));
    ctx.set('Cache-Control', 'no-store');
    ctx.type = registry.contentType;
    ctx.body = await registry.metrics();
  });
  return router;
}

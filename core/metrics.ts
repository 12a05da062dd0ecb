// Prometheus metrics: one registry for the process, served by the mini-app at GET /metrics.
// Helpers return the already-registered metric when asked twice for the same name, so modules
// (and jest's per-file module registries) can declare metrics where they use them without
// "A metric with the name ... has already been registered".
// core/ stays free of BullMQ: queues are seen through the small QueueCounts interface.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** The process-wide registry. */
export const registry = new Registry();

collectDefaultMetrics({ register: registry, prefix: 'leiguard_' });

function existing<T>(name: string, kind: new (...args: never[]) => T): T | undefined {
  const m = registry.getSingleMetric(name);
  if (m === undefined) return undefined;
  if (!(m instanceof kind)) throw new Error(`metric ${name} is already registered with another type`);
  return m;
}

/** A counter, created once per name. */
export function counter<L extends string = string>(
  name: string,
  help: string,
  labelNames: readonly L[] = [],
): Counter<L> {
  return (
    (existing(name, Counter) as Counter<L> | undefined) ??
    new Counter<L>({ name, help, labelNames: [...labelNames], registers: [registry] })
  );
}

/** A histogram, created once per name (seconds buckets by default). */
export function histogram<L extends string = string>(
  name: string,
  help: string,
  labelNames: readonly L[] = [],
  buckets?: number[],
): Histogram<L> {
  return (
    (existing(name, Histogram) as Histogram<L> | undefined) ??
    new Histogram<L>({
      name,
      help,
      labelNames: [...labelNames],
      registers: [registry],
      ...(buckets ? { buckets } : {}),
    })
  );
}

/** A gauge, created once per name. */
export function gauge<L extends string = string>(name: string, help: string, labelNames: readonly L[] = []): Gauge<L> {
  return (
    (existing(name, Gauge) as Gauge<L> | undefined) ??
    new Gauge<L>({ name, help, labelNames: [...labelNames], registers: [registry] })
  );
}

/** Deliveries by channel (ROBOT_OTO, CARD...) and final status (sent, failed, skipped...). */
export const deliveriesTotal = counter('leiguard_deliveries_total', 'Notice deliveries by channel and status', [
  'channel',
  'status',
]);

/** Time from a delivery's creation (outbox row) to DingTalk accepting it. */
export const deliveryLatency = histogram(
  'leiguard_delivery_latency_seconds',
  'Seconds from outbox row to DingTalk accepting the delivery',
  ['channel'],
  [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600],
);

/** DingTalk calls by stable API name (bot/clients/api-names.ts) and outcome (success or error kind). */
export const dingtalkCallsTotal = counter('leiguard_dingtalk_calls_total', 'DingTalk API calls by API and outcome', [
  'api',
  'outcome',
]);

/** HTTP time of DingTalk calls (without the wait for quota). */
export const dingtalkCallDuration = histogram(
  'leiguard_dingtalk_call_duration_seconds',
  'HTTP time of DingTalk API calls',
  ['api'],
  [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10],
);

/** Stream frames received by type (SYSTEM, EVENT, CALLBACK) and topic. */
export const streamFramesTotal = counter('leiguard_stream_frames_total', 'DingTalk stream frames by type and topic', [
  'type',
  'topic',
]);

/** BullMQ job counts by queue and state, refreshed on every scrape. */
export const queueJobs = gauge('leiguard_queue_jobs', 'Jobs per queue and state (refreshed on scrape)', [
  'queue',
  'state',
]);

/** What the metrics need of a queue (BullMQ's Queue fits). */
export interface QueueCounts {
  readonly name: string;
  getJobCounts(...types: never[]): Promise<Record<string, number>>;
}

/** Job states reported for every queue. */
export const QUEUE_STATES = [
  'waiting',
  'active',
  'delayed',
  'prioritized',
  'waiting-children',
  'paused',
  'completed',
  'failed',
] as const;

/**
 * Refreshes leiguard_queue_jobs from the given queues. A queue that does not answer within
 * `timeoutMs` keeps its previous values and is returned in `failed`, so one slow Redis call does
 * not fail the whole scrape.
 */
export async function updateQueueGauges(
  queues: readonly QueueCounts[],
  timeoutMs = 2000,
): Promise<{ failed: string[] }> {
  const failed: string[] = [];
  await Promise.all(
    queues.map(async (q) => {
      let timer: NodeJS.Timeout | undefined;
      try {
        const counts = await Promise.race([
          q.getJobCounts(...(QUEUE_STATES as unknown as never[])),
          new Promise<never>((_, reject) => {
            timer = setTimeout(() => reject(new Error('timeout')), timeoutMs);
          }),
        ]);
        for (const state of QUEUE_STATES) queueJobs.set({ queue: q.name, state }, counts[state] ?? 0);
      } catch {
        failed.push(q.name);
      } finally {
        clearTimeout(timer);
      }
    }),
  );
  return { failed };
}

/** Records one DingTalk call (shape of bot/clients' DingTalkCallEvent). */
export function recordDingTalkCall(ev: { api: string; outcome: string; durationMs?: number }): void {
  dingtalkCallsTotal.inc({ api: ev.api, outcome: ev.outcome });
  if (ev.durationMs !== undefined) dingtalkCallDuration.observe({ api: ev.api }, ev.durationMs / 1000);
}

/** Records one finished delivery; latency in seconds when it was sent. */
export function recordDelivery(channel: string, status: string, latencySeconds?: number): void {
  deliveriesTotal.inc({ channel, status });
  if (latencySeconds !== undefined) deliveryLatency.observe({ channel }, latencySeconds);
}

/** Records one stream frame. */
export function recordStreamFrame(type: string, topic: string): void {
  streamFramesTotal.inc({ type, topic: topic || '-' });
}

/** Calls per second each DingTalk API is sent at now: the learned rate, or the configured ceiling. */
export const dingtalkQps = gauge('leiguard_dingtalk_qps', 'DingTalk calls/s per API in force (learned or configured)', [
  'api',
]);
/** The configured rate of each API (DINGTALK_QPS × safety): what learning may raise it back to. */
export const dingtalkQpsCeiling = gauge('leiguard_dingtalk_qps_ceiling', 'Configured DingTalk calls/s per API', [
  'api',
]);
/** Successful DingTalk calls this month (Asia/Shanghai), per API, counted by every process. */
export const dingtalkMonthCalls = gauge('leiguard_dingtalk_month_calls', 'DingTalk calls this month per API', ['api']);
/** This month's calls DingTalk meters (tokens, 免登 and contacts excluded). */
export const dingtalkMonthMetered = gauge('leiguard_dingtalk_month_metered_calls', 'Metered DingTalk calls this month');
/** DINGTALK_MONTHLY_CALLS (absent when not set). */
export const dingtalkMonthBudget = gauge('leiguard_dingtalk_monthly_calls_budget', 'DINGTALK_MONTHLY_CALLS');
/** 1 when this month's metered calls reached 80 % of DINGTALK_MONTHLY_CALLS. */
export const dingtalkMonthWarning = gauge(
  'leiguard_dingtalk_monthly_calls_warning',
  '1 when metered DingTalk calls this month reached 80% of DINGTALK_MONTHLY_CALLS',
);

/** What the DingTalk quota gauges show (bot/clients/monthly-calls.ts QuotaState fits). */
export interface QuotaGaugeState {
  monthCalls: Partial<Record<string, number>>;
  metered: number;
  budget?: number;
  warning: boolean;
  learned: ReadonlyArray<{ api: string; rate: number }>;
}

/** Refreshes the DingTalk quota gauges for every API in `apis` with its configured ceiling. */
export function updateQuotaGauges(
  state: QuotaGaugeState,
  apis: readonly string[],
  ceiling: (api: string) => number,
): void {
  const learned = new Map(state.learned.map((l) => [l.api, l.rate]));
  for (const api of apis) {
    dingtalkQpsCeiling.set({ api }, ceiling(api));
    dingtalkQps.set({ api }, learned.get(api) ?? ceiling(api));
    dingtalkMonthCalls.set({ api }, state.monthCalls[api] ?? 0);
  }
  dingtalkMonthMetered.set(state.metered);
  if (state.budget !== undefined) dingtalkMonthBudget.set(state.budget);
  dingtalkMonthWarning.set(state.warning ? 1 : 0);
}

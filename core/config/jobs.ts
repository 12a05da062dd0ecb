// BullMQ and the workers: key prefix, retries, concurrency, the scheduler's polling.
import { z } from 'zod';
import { intBetween, positiveInt } from './shapes';
import { setting } from './setting';

/** Queue and worker settings. */
export const jobsSettings = {
  /** BullMQ and LeiGuard key prefix in Redis: several installations can share one Redis. */
  queuePrefix: setting(
    'QUEUE_PREFIX',
    z
      .string()
      .regex(/^[a-z][a-z0-9_-]{0,31}$/, '只能包含小写字母、数字、- 和 _，以字母开头')
      .default('lg'),
  ),
  /**
   * First retry delay of a failed job in ms; each further retry doubles it (with jitter), over
   * at most JOB_ATTEMPTS attempts in all.
   */
  retryBaseMs: setting('JOB_RETRY_BASE_MS', positiveInt.min(10).max(600_000).default(1000)),
  attempts: setting('JOB_ATTEMPTS', positiveInt.min(1).max(50).default(12)),
  /** How often the reconciler re-queues pending deliveries Redis no longer holds. */
  reconcileIntervalMs: setting('RECONCILE_INTERVAL_MS', positiveInt.default(30_000)),
  /** How often the scheduler looks in Postgres for due timers (reminders, escalations), ms. */
  timerPollMs: setting('TIMER_POLL_MS', positiveInt.default(1_000)),
  /** Concurrent notify jobs per worker process. */
  notifyConcurrency: setting('NOTIFY_CONCURRENCY', positiveInt.max(256).default(16)),
  /**
   * Concurrent approval.click jobs (approval card clicks being decided) per worker process. More
   * decide a backlog faster but slow down the api's answers to callbacks on a shared machine.
   */
  inboundConcurrency: setting('INBOUND_CONCURRENCY', positiveInt.max(64).default(1)),
  /**
   * Card callbacks a second (counted by each api process) from which callbacks count as busy:
   * approval.click jobs then wait, so the callbacks are answered first (0: never wait).
   */
  callbackBusyRate: setting('CALLBACK_BUSY_RATE', intBetween(0, 100_000).default(20)),
  /** Longest an approval click waits for busy callbacks, from when it was queued, in ms. */
  inboundYieldMaxMs: setting('INBOUND_YIELD_MAX_MS', intBetween(0, 3_600_000).default(120_000)),
  /**
   * Scheduling priority (nice, -20..19) of a process that runs the worker role without the api
   * role. A worker sharing a machine with an api process yields the CPU to it: the api answers
   * DingTalk's card callbacks against a deadline, the worker's jobs can wait a moment.
   */
  workerNice: setting('WORKER_NICE', intBetween(-20, 19).default(10)),
} as const;

// One place that owns the BullMQ queues and the single way in: enqueue(name, payload).
import { Queue, type JobsOptions, type ConnectionOptions } from 'bullmq';
import { ValidationError } from '../core/errors';
import type { JobName, JobPayloads, JobQueues, QueueName } from './job-queues';
import { getJob } from './registry';

/** Retry policy of every job (JOB_ATTEMPTS, JOB_RETRY_BASE_MS). */
export interface RetryPolicy {
  attempts: number;
  baseDelayMs: number;
}

/** Default options, set once: exponential backoff with jitter for every retryable failure. */
export function defaultJobOptions(retry: RetryPolicy = { attempts: 12, baseDelayMs: 1000 }): JobsOptions {
  return {
    attempts: retry.attempts,
    backoff: { type: 'exponential', delay: retry.baseDelayMs, jitter: 0.5 },
    removeOnComplete: { count: 1000 },
    removeOnFail: { count: 5000 },
  };
}

const QUEUE_NAMES: QueueName[] = ['notify', 'timers', 'system', 'inbound'];

/** The queues of one process, sharing one Redis connection configuration and key prefix. */
export class Queues implements JobQueues {
  readonly byName: Record<QueueName, Queue>;

  constructor(
    readonly connection: ConnectionOptions,
    readonly prefix = 'lg',
    retry?: RetryPolicy,
  ) {
    const jobOptions = defaultJobOptions(retry);
    this.byName = Object.fromEntries(
      QUEUE_NAMES.map((n) => [n, new Queue(n, { connection, prefix, defaultJobOptions: jobOptions })]),
    ) as Record<QueueName, Queue>;
  }

  /** All queues, for the dashboard and metrics. */
  all(): Queue[] {
    return Object.values(this.byName);
  }

  /** Validates the payload against the job's schema and adds it to the job's queue. */
  async enqueue<N extends JobName>(
    name: N,
    payload: JobPayloads[N],
    opts: JobsOptions = {},
  ): Promise<string | undefined> {
    const def = getJob(name);
    const parsed = def.schema.safeParse(payload);
    if (!parsed.success) throw ValidationError.fromZod(parsed.error, `任务 ${name} 的参数`, { forPrograms: true });
    const job = await this.byName[def.queue].add(name, parsed.data, { ...def.defaults, ...opts });
    return job.id;
  }

  /** Adds many jobs of one name at once (one round trip). */
  async enqueueBulk<N extends JobName>(
    name: N,
    items: Array<{ payload: JobPayloads[N]; opts?: JobsOptions }>,
  ): Promise<void> {
    if (items.length === 0) return;
    const def = getJob(name);
    const jobs = items.map(({ payload, opts }) => {
      const parsed = def.schema.safeParse(payload);
      if (!parsed.success) throw ValidationError.fromZod(parsed.error, `任务 ${name} 的参数`, { forPrograms: true });
      return { name, data: parsed.data, opts: { ...def.defaults, ...opts } };
    });
    await this.byName[def.queue].addBulk(jobs);
  }

  async close(): Promise<void> {
    await Promise.all(this.all().map((q) => q.close()));
  }
}

// The queues as job handlers and the rest of the process see them. queues.ts implements this; the
// interface keeps handlers (and the job registry that lists them) from importing the class.
import type { JobsOptions, Queue } from 'bullmq';

/** Queues LeiGuard uses; each has its own workers and defaults. */
export type QueueName = 'notify' | 'timers' | 'system' | 'inbound';

/** The way into the queues: enqueue(name, payload) validates against the job's schema. */
export interface JobQueues {
  readonly byName: Record<QueueName, Queue>;
  /** Validates the payload against the job's schema and adds it to the job's queue. */
  enqueue(name: string, payload: unknown, opts?: JobsOptions): Promise<string | undefined>;
  /** Adds many jobs of one name at once (one round trip). */
  enqueueBulk(name: string, items: Array<{ payload: unknown; opts?: JobsOptions }>): Promise<void>;
}

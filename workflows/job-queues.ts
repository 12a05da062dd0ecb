// The queues as job handlers and the rest of the process see them. queues.ts implements this; the
// interface keeps handlers (and the job registry that lists them) from importing the class.
import type { JobsOptions, Queue } from 'bullmq';

/** Queues LeiGuard uses; each has its own workers and defaults. */
export type QueueName = 'notify' | 'timers' | 'system' | 'inbound';

/**
 * Payload (schema input) by job name. Empty here and filled in by workflows/registry.ts through
 * declaration merging (as graphile-worker's `GraphileWorker.Tasks`), so that the registry stays
 * the one list of jobs while handlers, which import this file, do not import the registry.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface JobPayloads {}

/** A registered job's name. */
export type JobName = keyof JobPayloads & string;

/** The way into the queues: enqueue(name, payload) validates against the job's schema. */
export interface JobQueues {
  readonly byName: Record<QueueName, Queue>;
  /** Validates the payload against the job's schema and adds it to the job's queue. */
  enqueue<N extends JobName>(name: N, payload: JobPayloads[N], opts?: JobsOptions): Promise<string | undefined>;
  /** Adds many jobs of one name at once (one round trip). */
  enqueueBulk<N extends JobName>(name: N, items: Array<{ payload: JobPayloads[N]; opts?: JobsOptions }>): Promise<void>;
}

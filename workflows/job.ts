// The shape of one unit of work (one job per file, payloads are unknown until parsed, as in graphile-worker).
import type { Job } from 'bullmq';
import type { z } from 'zod';
import type { Logger } from '../core/logger';
import type { WorkflowDeps } from './deps';
import type { QueueName } from './job-queues';

export type { QueueName } from './job-queues';

/** What every handler receives besides its job. */
export interface JobContext {
  logger: Logger;
  /** Aborted on shutdown: long handlers stop between steps and let the job be retried. */
  signal: AbortSignal;
  deps: WorkflowDeps;
}

/** A job definition: its name, queue, payload schema, default options and handler. */
export interface JobDefinition<S extends z.ZodTypeAny = z.ZodTypeAny> {
  name: string;
  queue: QueueName;
  schema: S;
  /** BullMQ job options applied to every enqueue of this job (may be overridden per call). */
  defaults?: {
    attempts?: number;
    priority?: number;
    removeOnComplete?: number | boolean;
    removeOnFail?: number | boolean;
  };
  handle(payload: z.output<S>, job: Job, ctx: JobContext): Promise<unknown>;
}

/** Helper keeping the payload type inferred from the schema. */
export function defineJob<S extends z.ZodTypeAny>(def: JobDefinition<S>): JobDefinition<S> {
  return def;
}

// The shape of one unit of work (one job per file, payloads are unknown until parsed, as in graphile-worker).
import type { Job } from 'bullmq';
import type { z } from 'zod';
import type { Config } from '../core/config';
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

/** How often the active scheduler runs a job by itself: every n ms, or a cron pattern in a time zone. */
export type JobRepeat = { every: number } | { pattern: string; tz: string };

/** A job the active scheduler runs by itself (one BullMQ job scheduler named after the job). */
export interface JobSchedule {
  /** From the configuration; null: not scheduled (a scheduler installed earlier is removed). */
  repeat(config: Config): JobRepeat | null;
  /** Queued once more each time the schedules are installed, so it catches up at once. */
  runAtInstall?: boolean;
}

/** A job definition: its name, queue, payload schema, default options, schedule and handler. */
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
  /** Declared by jobs the scheduler runs by itself (workflows/scheduler.ts installs them). */
  schedule?: JobSchedule;
  handle(payload: z.output<S>, job: Job, ctx: JobContext): Promise<unknown>;
}

/** Helper keeping the name's literal type and the payload type inferred from the schema. */
export function defineJob<const N extends string, S extends z.ZodTypeAny>(
  def: JobDefinition<S> & { name: N },
): JobDefinition<S> & { name: N } {
  return def;
}

// The shared worker wrapper: routes jobs to their handlers, parses payloads, logs failures once
// ({ queue, job, jobId, attempt, durationMs, err }), turns permanent errors into UnrecoverableError
// and drains on shutdown (after graphile-worker's worker loop).
import { setMaxListeners } from 'node:events';
import { DelayedError, UnrecoverableError, Worker, type ConnectionOptions, type Job } from 'bullmq';
import { DatabaseWaitAborted } from '../core/db/availability';
import { ValidationError } from '../core/errors';
import type { Logger } from '../core/logger';
import { isPermanent } from './errors';
import type { QueueName } from './job';
import type { WorkflowDeps } from './deps';
import { getJob } from './registry';

/** Concurrency per queue for one worker process. */
// inbound: card clicks decided after their callback was answered (approval.click), one at a time
// (INBOUND_CONCURRENCY): the audit chain serialises their commits anyway, and one decision at a
// time leaves the CPU and Postgres to the api process answering callbacks (bench:callbacks measures
// both sides; the README has the figures).
export const DEFAULT_CONCURRENCY: Record<QueueName, number> = { notify: 16, timers: 4, system: 1, inbound: 1 };

/** Running workers of one process. */
export class Workers {
  private readonly abort = new AbortController();
  private readonly workers: Worker[] = [];

  constructor(
    private readonly connection: ConnectionOptions,
    private readonly deps: WorkflowDeps,
    private readonly logger: Logger,
    private readonly prefix = 'lg',
  ) {
    // Every job slot waiting for the database listens to the abort signal.
    setMaxListeners(1000, this.abort.signal);
  }

  /** Starts one worker per queue (or just the given ones). */
  start(
    queues: QueueName[] = ['notify', 'timers', 'system', 'inbound'],
    concurrency: Partial<Record<QueueName, number>> = {},
  ): void {
    for (const queue of queues) {
      const worker = new Worker(queue, (job, token) => this.process(queue, job, token), {
        connection: this.connection,
        prefix: this.prefix,
        concurrency: concurrency[queue] ?? DEFAULT_CONCURRENCY[queue],
        // A killed worker's jobs come back within ~15 s (lock lapses, the stalled check moves
        // them back to waiting); live workers renew their locks every lockDuration / 2.
        lockDuration: 15_000,
        stalledInterval: 15_000,
      });
      worker.on('error', (err) => this.logger.error({ queue, err }, '任务队列连接错误'));
      this.workers.push(worker);
    }
  }

  private async process(queue: QueueName, job: Job, token?: string): Promise<unknown> {
    const started = Date.now();
    for (;;) {
      try {
        return await this.run(job);
      } catch (err) {
        const permanent = err instanceof ValidationError || isPermanent(err);
        // The database away (a Postgres restart): hold the job and run it again once it answers,
        // without spending one of its attempts; jobs are idempotent (STYLE.md).
        if (!permanent && this.deps.database && (await this.deps.database.isOutage(err))) {
          try {
            await this.deps.database.waitUntilAvailable(this.abort.signal);
            continue;
          } catch (aborted) {
            if (!(aborted instanceof DatabaseWaitAborted) || !token) throw err;
            // Stopping meanwhile: back to the queue as it was, for the next process.
            await job.moveToDelayed(Date.now() + 1000, token);
            throw new DelayedError();
          }
        }
        this.logger.warn(
          {
            queue,
            job: job.name,
            jobId: job.id,
            attempt: job.attemptsMade + 1,
            durationMs: Date.now() - started,
            permanent,
            err,
          },
          '任务执行失败',
        );
        if (permanent) throw new UnrecoverableError(err instanceof Error ? err.message : String(err));
        throw err;
      }
    }
  }

  private async run(job: Job): Promise<unknown> {
    const def = getJob(job.name);
    const parsed = def.schema.safeParse(job.data);
    if (!parsed.success) throw ValidationError.fromZod(parsed.error, `任务 ${job.name} 的参数`, { forPrograms: true });
    return def.handle(parsed.data, job, {
      logger: this.logger.child({ queue: job.queueName, job: job.name, jobId: job.id }),
      signal: this.abort.signal,
      deps: this.deps,
    });
  }

  /** Stops taking jobs, lets the running ones finish (they see the abort signal), then closes. */
  async close(): Promise<void> {
    this.abort.abort();
    await Promise.all(this.workers.map((w) => w.close()));
  }
}

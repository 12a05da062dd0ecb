// The shared worker wrapper: routes jobs to their handlers, parses payloads, logs failures once
// ({ queue, job, jobId, attempt, durationMs, err }), turns permanent errors into UnrecoverableError
// and drains on shutdown (after graphile-worker's worker loop).
import { UnrecoverableError, Worker, type ConnectionOptions, type Job } from 'bullmq';
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
  ) {}

  /** Starts one worker per queue (or just the given ones). */
  start(
    queues: QueueName[] = ['notify', 'timers', 'system', 'inbound'],
    concurrency: Partial<Record<QueueName, number>> = {},
  ): void {
    for (const queue of queues) {
      const worker = new Worker(queue, (job) => this.process(queue, job), {
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

  private async process(queue: QueueName, job: Job): Promise<unknown> {
    const started = Date.now();
    try {
      const def = getJob(job.name);
      const parsed = def.schema.safeParse(job.data);
      if (!parsed.success)
        throw ValidationError.fromZod(parsed.error, `任务 ${job.name} 的参数`, { forPrograms: true });
      return await def.handle(parsed.data, job, {
        logger: this.logger.child({ queue, job: job.name, jobId: job.id }),
        signal: this.abort.signal,
        deps: this.deps,
      });
    } catch (err) {
      const permanent = err instanceof ValidationError || isPermanent(err);
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

  /** Stops taking jobs, lets the running ones finish (they see the abort signal), then closes. */
  async close(): Promise<void> {
    this.abort.abort();
    await Promise.all(this.workers.map((w) => w.close()));
  }
}

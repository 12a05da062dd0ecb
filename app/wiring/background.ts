// The background roles: BullMQ workers (worker) and the single scheduler (scheduler).
import os from 'node:os';
import type Redis from 'ioredis';
import type { ConnectionOptions } from 'bullmq';
import type { Config } from '../../core/config';
import type { Logger } from '../../core/logger';
import type { WorkflowDeps } from '../../workflows/deps';
import { Scheduler } from '../../workflows/scheduler';
import { Workers } from '../../workflows/worker';
import { warmUpWorker } from './warm-up';

/** Starts the workers of every queue, after the warm-up; a worker-only process yields to the api. */
export async function startWorkers(
  config: Config,
  deps: WorkflowDeps,
  conns: { connection: ConnectionOptions; queuePrefix: string },
): Promise<Workers> {
  if (!config.runtime.roles.has('api')) yieldToApi(config.jobs.workerNice, deps.logger);
  await warmUpWorker(deps);
  const workers = new Workers(conns.connection, deps, deps.logger, conns.queuePrefix);
  workers.start(['notify', 'timers', 'system', 'inbound'], {
    notify: config.jobs.notifyConcurrency,
    inbound: config.jobs.inboundConcurrency,
  });
  return workers;
}

/** Starts the scheduler (it takes the lead when no other process holds it). */
export async function startScheduler(deps: WorkflowDeps, redis: Redis, keyPrefix: string): Promise<Scheduler> {
  const scheduler = new Scheduler(deps, redis, keyPrefix);
  await scheduler.start();
  return scheduler;
}

/** Lowers this (worker-only) process's scheduling priority; not being allowed to is only logged. */
function yieldToApi(nice: number, logger: Logger): void {
  try {
    os.setPriority(0, nice);
  } catch (err) {
    logger.warn({ err, nice }, '无法调整工作进程的调度优先级 (WORKER_NICE)');
  }
}

// One typed registry of jobs (after graphile-worker's task list): name -> definition.
// `Queues.enqueue` is the only way in.
import { AppError } from '../core/errors';
import type { z } from 'zod';
import type { JobDefinition } from './job';
import { cardRefreshJob } from './notify/card-refresh.job';
import { cardUpdateJob } from './notify/card-update.job';
import { readStatusJob } from './notify/read-status.job';
import { reconcileJob } from './notify/reconcile.job';
import { sendJob } from './notify/send.job';
import { rankingRunJob } from './ranking/run.job';
import { digestJob } from './digest/run.job';
import { testDueJob } from './test-report/due-scan.job';
import { reportDueJob } from './field-work/report-due.job';
import { creditEvaluateJob } from './credit/evaluate.job';
import { selfCheckJob } from './inspection/self-check.job';
import { timerFireJob } from './timers/fire.job';
import { timerPumpJob } from './timers/pump.job';
import { approvalClickJob } from './approval/click.job';
import { warningAnsweredJob } from './warning/answered.job';
import { warningCopiesJob } from './warning/copies.job';
import { warningFanOutJob } from './warning/fan-out.job';
import { todoFollowJob } from './todos/follow.job';
import { todoPushJob } from './todos/push.job';
import { todoSweepJob } from './todos/sweep.job';

const definitions = [
  sendJob,
  reconcileJob,
  cardRefreshJob,
  cardUpdateJob,
  readStatusJob,
  timerPumpJob,
  timerFireJob,
  rankingRunJob,
  digestJob,
  testDueJob,
  reportDueJob,
  creditEvaluateJob,
  selfCheckJob,
  approvalClickJob,
  warningCopiesJob,
  warningFanOutJob,
  warningAnsweredJob,
  todoFollowJob,
  todoPushJob,
  todoSweepJob,
] as const;

type Definition = (typeof definitions)[number];

declare module './job-queues' {
  /** Payload by job name, from the definitions above (see JobPayloads). */
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- merged into job-queues.ts's JobPayloads
  interface JobPayloads extends PayloadsOf<Definition> {}
}

/** Job name -> the input of its payload schema. */
type PayloadsOf<D extends Definition> = { [K in D as K['name']]: z.input<K['schema']> };

const byName = new Map<string, JobDefinition>(definitions.map((d) => [d.name, d as unknown as JobDefinition]));

/**
 * Names a job had in an earlier release (a job's name is its path: workflows/<folder>/<file>.job.ts).
 * Jobs queued under the old name before an upgrade are still run by the job's definition.
 */
const FORMER_NAMES: ReadonlyMap<string, string> = new Map([['timer.fire', 'timers.fire']]);

/** The definition of a job; unknown names are a programming error with a stable code. */
export function getJob(name: string): JobDefinition {
  const def = byName.get(name) ?? byName.get(FORMER_NAMES.get(name) ?? '');
  if (!def) throw new AppError('JOB_UNKNOWN', `未知的任务类型：${name}`, { status: 500 });
  return def;
}

/** Every registered job. */
export function listJobs(): JobDefinition[] {
  return [...byName.values()];
}

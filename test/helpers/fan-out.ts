// A warning's fan-out (workflows/warning/fan-out.job.ts) run in the test process, as a worker runs it.
import type { Job } from 'bullmq';
import { warningFanOutJob } from '../../workflows/warning/fan-out.job';
import type { TestRuntime } from './runtime';

/** Runs warning `warningId`'s fan-out job once: the units and deliveries it wrote. */
export function runFanOut(t: TestRuntime, warningId: string): Promise<{ units: number; deliveries: number }> {
  return warningFanOutJob.handle({ warningId }, {} as Job, {
    deps: t.runtime.deps,
    logger: t.runtime.deps.logger,
    signal: new AbortController().signal,
  }) as Promise<{ units: number; deliveries: number }>;
}

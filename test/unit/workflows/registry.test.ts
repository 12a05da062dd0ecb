// The job registry (issue #24): a job's name is its path (workflows/<folder>/<file>.job.ts), every
// job file is listed, and a job queued under a former name is still run by its definition.
import fs from 'node:fs';
import path from 'node:path';
import { getJob, listJobs } from '../../../workflows/registry';

const root = path.join(__dirname, '../../../workflows');

/** Every job file as `<folder>.<file>`. */
function namesFromPaths(): string[] {
  return fs
    .readdirSync(root, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .flatMap((d) =>
      fs
        .readdirSync(path.join(root, d.name))
        .filter((f) => f.endsWith('.job.ts'))
        .map((f) => `${d.name}.${f.slice(0, -'.job.ts'.length)}`),
    );
}

test('every job file is in the registry under the name its path gives', () => {
  expect(
    listJobs()
      .map((d) => d.name)
      .sort(),
  ).toEqual(namesFromPaths().sort());
});

test('a timer job queued before the rename (timer.fire) runs as timers.fire', () => {
  expect(getJob('timer.fire').name).toBe('timers.fire');
  expect(() => getJob('timer.unknown')).toThrow('未知的任务类型');
});

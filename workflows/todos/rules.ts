// The settings the to-do derivations read (core/todos/types.ts TodoRules), from the configuration:
// the follower, the sweep and the periodic-test scan derive with the same ones.
import type { Config } from '../../core/config';
import type { TodoRules } from '../../core/todos';

/** The to-do rules of a loaded configuration. */
export function todoRules(config: Pick<Config, 'testReport'>): TodoRules {
  return { testDueRemindDays: config.testReport.dueRemindDays };
}

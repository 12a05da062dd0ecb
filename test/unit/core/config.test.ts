// Invalid configuration stops start-up with a message naming the variable (issue #2).
import { listSettings, loadConfig } from '../../../core/config';
import { ConfigError } from '../../../core/errors';

function problemsOf(env: Record<string, string>): { variables: string[]; message: string } {
  try {
    loadConfig({}, env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    const e = err as ConfigError;
    return { variables: e.problems.map((p) => p.variable), message: e.message };
  }
  throw new Error('expected a ConfigError');
}

test('zero configuration gives the embedded mode', () => {
  const c = loadConfig({}, {});
  expect(c.runtime.embeddedDb).toBe(true);
  expect(c.runtime.simulator).toBe(true);
  expect(c.runtime.demoSeed).toBe(true);
  expect([...c.runtime.roles].sort()).toEqual(['api', 'scheduler', 'worker']);
  expect(Object.isFrozen(c)).toBe(true);
});

test('credentials turn the simulator off and point at DingTalk', () => {
  const c = loadConfig({}, { DINGTALK_APP_KEY: 'k', DINGTALK_APP_SECRET: 's' });
  expect(c.runtime.simulator).toBe(false);
  expect(c.dingtalk.apiBase).toBe('https://api.dingtalk.com');
});

test.each([
  [{ HTTP_PORT: 'eighty' }, 'HTTP_PORT'],
  [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL'],
  [{ REDIS_URL: 'http://x' }, 'REDIS_URL'],
  [{ DINGTALK_CARD_TEMPLATES: '{not json' }, 'DINGTALK_CARD_TEMPLATES'],
  [{ DINGTALK_QPS_OVERRIDES: '{"robot.batchSend":"fast"}' }, 'DINGTALK_QPS_OVERRIDES'],
  [{ ROLES: 'api,cook' }, 'ROLES'],
  [{ QUIET_HOURS: '22-7' }, 'QUIET_HOURS'],
  [{ DINGTALK_APP_KEY: 'only-the-key' }, 'DINGTALK_APP_SECRET'],
  [{ SIMULATOR: 'false' }, 'DINGTALK_APP_KEY'],
  [{ ADMIN_PASSWORD: 'short' }, 'ADMIN_PASSWORD'],
  [{ QUEUE_PREFIX: 'Bad Prefix' }, 'QUEUE_PREFIX'],
])('%j is refused, naming %s', (env, variable) => {
  const { variables, message } = problemsOf(env as Record<string, string>);
  expect(variables).toContain(variable);
  expect(message).toContain(variable);
  expect(message).toContain('配置无效');
});

test('every problem is reported at once', () => {
  const { variables } = problemsOf({ HTTP_PORT: '-1', LOG_LEVEL: 'loud' });
  expect(variables).toEqual(expect.arrayContaining(['HTTP_PORT', 'LOG_LEVEL']));
});

test('settings are read by section, under the names the code uses; each has a variable of its own', () => {
  const names = listSettings().map((s) => s.env);
  expect(new Set(names).size).toBe(names.length);
  const c = loadConfig({}, { HTTP_PORT: '3200', HAZARD_REMINDER_OFFSETS: '2wd', INTERVIEW_REMINDERS_MS: '60000' });
  expect(c.server.port).toBe(3200);
  expect(c.hazard.reminderOffsets).toBe('2wd');
  expect(c.interview.remindersMs).toEqual([60_000]);
  expect(c.testReport.dueRemindDays).toEqual([30, 7]);
  expect(Object.isFrozen(c.server)).toBe(true);
});

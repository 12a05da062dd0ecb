// `.env` in the working directory is read by npm start and the CLI, the process environment wins,
// a bad value there is named with its file, and `.env.example` copied to `.env` is a working start
// that documents exactly the variables the code reads (issue #18).
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CONFIG_VARIABLES, loadConfig, readEnvFile } from '../../../core/config';
import { ConfigError } from '../../../core/errors';

const ROOT = path.resolve(__dirname, '../../..');

/** Runs `fn` in a scratch folder holding `.env` with `content`, restoring cwd and env after. */
async function inFolder<T>(content: string, env: Record<string, string>, fn: () => T): Promise<T> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'lg-env-'));
  await fs.writeFile(path.join(dir, '.env'), content);
  const cwd = process.cwd();
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  Object.assign(process.env, env);
  process.chdir(dir);
  try {
    return fn();
  } finally {
    process.chdir(cwd);
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    await fs.rm(dir, { recursive: true, force: true });
  }
}

test('.env.example copied to .env is a valid configuration (the embedded mode)', async () => {
  const example = await fs.readFile(path.join(ROOT, '.env.example'), 'utf8');
  const c = await inFolder(example, {}, () => loadConfig());
  expect(c.runtime.embeddedDb).toBe(true);
  expect(c.runtime.simulator).toBe(true);
  expect(c.dingtalk.cardTemplates).toEqual({});
});

test('.env.example documents every variable the code reads, and no other', async () => {
  const example = await fs.readFile(path.join(ROOT, '.env.example'), 'utf8');
  // Set (KEY=value) or shown commented out (# KEY=value).
  const named = new Set([...example.matchAll(/^#?\s?([A-Z][A-Z0-9_]+)=/gm)].map((m) => m[1]!));
  expect([...named].filter((v) => !CONFIG_VARIABLES.includes(v))).toEqual([]);
  expect(CONFIG_VARIABLES.filter((v) => !named.has(v))).toEqual([]);
});

test('the process environment wins over .env; .env fills what it does not set', async () => {
  const c = await inFolder('HTTP_PORT=4000\nSIMULATOR_PORT=4100\n', { HTTP_PORT: '3999' }, () => loadConfig());
  expect(c.server.port).toBe(3999);
  expect(c.runtime.simulatorPort).toBe(4100);
  expect(readEnvFile(os.tmpdir())).toEqual(expect.any(Object));
});

test('a bad value in .env is named with its file and shown, unless it is a secret', async () => {
  const err = await inFolder('WORKER_NICE=very\nQUIET_HOURS=22-7\nDATA_ENCRYPTION_KEY=not-a-key\n', {}, () => {
    try {
      loadConfig();
    } catch (e) {
      return e;
    }
    return undefined;
  });
  expect(err).toBeInstanceOf(ConfigError);
  const msg = (err as ConfigError).message;
  expect(msg).toMatch(/WORKER_NICE: .*（\.env 文件中为「very」）/);
  expect(msg).toContain('QUIET_HOURS: 格式为 HH:mm-HH:mm，如 22:00-07:00（.env 文件中为「22-7」）');
  expect(msg).toMatch(/DATA_ENCRYPTION_KEY: .*（来自 \.env 文件）/);
  expect(msg).not.toContain('not-a-key');
});

// Runs the real CLI binary (bin/leiguard.cjs) as an operator would, with its own environment.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { createTestDatabase, createUnmigratedTestDatabase, type TestDatabase } from './db';
import { testRedisUrl } from './redis';
import { startTestSimulator, type TestSimulator } from './simulator';

const BIN = path.resolve(__dirname, '../../bin/leiguard.cjs');

/** What a CLI run printed and how it ended. */
export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs `leiguard <args>`. `env` is added to a minimal environment (PATH, HOME) so the developer's
 * own LeiGuard variables never leak into a test. `onStdout` sees output as it arrives (to crash
 * a run in the middle).
 */
export function runCli(
  args: string[],
  env: Record<string, string>,
  opts: {
    onStdout?: (chunk: string, kill: () => void) => void;
    onStderr?: (chunk: string, kill: () => void) => void;
    /** Working directory (default the system's temp folder, so no developer's .env is read). */
    cwd?: string;
  } = {},
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: opts.cwd ?? os.tmpdir(),
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', LOG_LEVEL: 'warn', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    const kill = () => child.kill('SIGKILL');
    child.stdout.on('data', (b: Buffer) => {
      stdout += b.toString();
      opts.onStdout?.(b.toString(), kill);
    });
    child.stderr.on('data', (b: Buffer) => {
      stderr += b.toString();
      opts.onStderr?.(b.toString(), kill);
    });
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** A test database, the simulator as DingTalk and the environment of CLI runs against both. */
export interface CliFixture {
  db: TestDatabase;
  sim: TestSimulator;
  env: Record<string, string>;
  /** A scratch folder (DATA_DIR of the runs). */
  dir: string;
  close(): Promise<void>;
}

/**
 * Starts a CLI fixture: Redis keys under a fresh prefix, the factories' data key; `extraEnv` is
 * added to the environment. close() removes the keys, the simulator, the database and the folder.
 * With `emptyDatabase` the database has no tables yet, as on a bureau's new server.
 */
export async function startCliFixture(
  extraEnv: Record<string, string> = {},
  opts: { emptyDatabase?: boolean } = {},
): Promise<CliFixture> {
  const db = opts.emptyDatabase ? await createUnmigratedTestDatabase() : await createTestDatabase();
  const sim = await startTestSimulator();
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'lg-cli-'));
  const prefix = `lgcli${randomBytes(4).toString('hex')}`;
  const env: Record<string, string> = {
    DATABASE_URL: db.url,
    DATA_DIR: dir,
    DATA_ENCRYPTION_KEY: '42'.repeat(32), // = TEST_DATA_KEY of the factories
    REDIS_URL: testRedisUrl(),
    QUEUE_PREFIX: prefix,
    SIMULATOR: 'false',
    DINGTALK_APP_KEY: sim.app.appKey,
    DINGTALK_APP_SECRET: sim.app.appSecret,
    DINGTALK_CORP_ID: sim.app.corpId,
    DINGTALK_API_BASE: sim.url,
    DINGTALK_OAPI_BASE: sim.url,
    ...extraEnv,
  };
  return {
    db,
    sim,
    env,
    dir,
    async close() {
      const redis = new Redis(testRedisUrl());
      const keys = await redis.keys(`${prefix}:*`);
      if (keys.length > 0) await redis.del(...keys);
      redis.disconnect();
      await sim.close();
      await db.drop();
      await fs.rm(dir, { recursive: true, force: true });
    },
  };
}

// Issue #25 backups, through the real CLI binary while the embedded service (`npm start`) runs:
// `leiguard backup` writes a consistent archive while other commands write through the service,
// `leiguard restore` puts it into an empty data folder (and refuses a folder that has a database),
// and `audit verify` passes on the restored copy. With DATABASE_URL both explain pg_dump/pg_restore.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { freePort } from '../../../app/redis';
import { runCli } from '../../helpers/cli';
import { testRedisUrl } from '../../helpers/redis';
import { waitFor } from '../../helpers/wait';

const ROOT = path.resolve(__dirname, '../../..');
jest.setTimeout(300_000);

let dataDir: string;
let restored: string;
let npm: ChildProcess;
let output = '';
let env: Record<string, string>;
const prefix = `lgbackup${randomBytes(3).toString('hex')}`;

beforeAll(async () => {
  dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'lg-backup-'));
  restored = await fs.mkdtemp(path.join(os.tmpdir(), 'lg-restored-'));
  env = {
    DATA_DIR: dataDir,
    SIMULATOR_PORT: String(await freePort()),
    REDIS_URL: testRedisUrl(),
    QUEUE_PREFIX: prefix,
  };
  npm = spawn(process.execPath, ['--import', 'tsx', 'app/main.ts'], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '/tmp',
      ...env,
      HTTP_PORT: String(await freePort()),
      DEMO_SEED: 'false',
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  npm.stdout!.on('data', (b: Buffer) => (output += b.toString()));
  npm.stderr!.on('data', (b: Buffer) => (output += b.toString()));
  await waitFor(() => output.includes('已就绪') || npm.exitCode !== null, 200_000, 'service ready');
  if (!output.includes('已就绪')) throw new Error(`the service did not start:\n${output}`);
});

afterAll(async () => {
  if (npm && npm.exitCode === null) npm.kill('SIGKILL');
  const redis = new Redis(testRedisUrl());
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length) await redis.del(...keys);
  redis.disconnect();
  await fs.rm(dataDir, { recursive: true, force: true });
  await fs.rm(restored, { recursive: true, force: true });
});

const addRobot = (name: string) =>
  runCli(
    ['robots', 'add', '--name', name, '--webhook', `https://oapi.dingtalk.com/robot/send?access_token=${name}`],
    env,
  );

test('backup while the service runs and writes, restore into an empty folder, audit verify passes', async () => {
  expect(await addRobot('备份前的群')).toMatchObject({ code: 0 });
  const file = path.join(dataDir, '..', `${path.basename(dataDir)}.tar.gz`);

  // The backup, with writes through the running service at the same time.
  const [backup, ...during] = await Promise.all([
    runCli(['backup', file], env),
    addRobot('备份期间的群一'),
    addRobot('备份期间的群二'),
  ]);
  expect(backup.stderr).toBe('');
  expect(backup).toMatchObject({ code: 0 });
  expect(backup.stdout).toContain('备份完成');
  expect(backup.stdout).toContain('服务运行中');
  expect(backup.stdout).toContain('secret.key');
  for (const d of during) expect(d).toMatchObject({ code: 0 });
  expect((await fs.stat(file)).size).toBeGreaterThan(1000);
  // The service kept its folder and still answers.
  expect(output).not.toContain('失败');

  npm.kill('SIGTERM');
  await waitFor(() => npm.exitCode !== null, 60_000, 'service stopped');

  const restoreEnv = { ...env, DATA_DIR: restored };
  const restore = await runCli(['restore', file], restoreEnv);
  expect(restore.stderr).toBe('');
  expect(restore).toMatchObject({ code: 0 });
  expect(restore.stdout).toContain('恢复完成');

  const verify = await runCli(['audit', 'verify'], restoreEnv);
  expect(verify).toMatchObject({ code: 0 });
  expect(verify.stdout).toContain('审计链完整');
  const robots = await runCli(['robots', 'list'], restoreEnv);
  expect(robots.stdout).toContain('备份前的群');
  // The restored copy reads the encrypted webhook with the key file that came with it.
  expect(robots.code).toBe(0);

  // A folder that already has a database is refused, and stays as it was.
  const again = await runCli(['restore', file], restoreEnv);
  expect(again.code).toBe(1);
  expect(again.stdout).toContain('已有数据库');
  expect((await runCli(['audit', 'verify'], restoreEnv)).code).toBe(0);
});

test('with Postgres, backup and restore explain pg_dump and pg_restore', async () => {
  const pgEnv = { ...env, DATABASE_URL: 'postgresql://leiguard:secret@db.example.gov.cn:5432/leiguard' };
  const backup = await runCli(['backup', 'x.dump'], pgEnv);
  expect(backup.code).toBe(2);
  expect(backup.stdout).toContain('pg_dump --format=custom');
  expect(backup.stdout).not.toContain('secret@');
  const restore = await runCli(['restore', 'x.dump'], pgEnv);
  expect(restore.code).toBe(2);
  expect(restore.stdout).toContain('pg_restore');
});

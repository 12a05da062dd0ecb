// The CLI beside the running service in the default embedded mode (issue #18): with `npm start`
// holding the PGlite folder, `leiguard migrate`, `import` and `keys status` succeed from
// a second process, through the socket the service serves (never opening the folder); then SIGTERM
// to the `npm start` process stops every process it started, within the drain timeout.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promises as fs, readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { freePort } from '../../../app/redis';
import { generateUscc } from '../../../core/domain/uscc';
import { runCli } from '../../helpers/cli';
import { testRedisUrl } from '../../helpers/redis';
import { waitFor } from '../../helpers/wait';

const ROOT = path.resolve(__dirname, '../../..');
// npm start's first start (Prisma client generation, migrations, national regions) on a busy machine.
jest.setTimeout(300_000);

/** Every descendant of a process (Linux /proc). */
function descendants(pid: number): number[] {
  const out: number[] = [];
  let children: number[] = [];
  try {
    for (const task of readdirSync(`/proc/${pid}/task`))
      children.push(
        ...readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').split(/\s+/).filter(Boolean).map(Number),
      );
  } catch {
    children = [];
  }
  for (const c of children) out.push(c, ...descendants(c));
  return out;
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('leiguard beside `npm start` (embedded PGlite)', () => {
  let dataDir: string;
  let npm: ChildProcess;
  let output = '';
  let env: Record<string, string>;
  let httpPort: number;
  const prefix = `lgbeside${randomBytes(3).toString('hex')}`;

  beforeAll(async () => {
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'lg-beside-'));
    httpPort = await freePort();
    const simPort = await freePort();
    env = {
      DATA_DIR: dataDir,
      SIMULATOR_PORT: String(simPort),
      REDIS_URL: testRedisUrl(),
      QUEUE_PREFIX: prefix,
    };
    npm = spawn('npm', ['start'], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '/tmp',
        ...env,
        HTTP_PORT: String(httpPort),
        DEMO_SEED: 'false',
        LOG_LEVEL: 'info',
        SHUTDOWN_TIMEOUT_MS: '20000',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    npm.stdout!.on('data', (b: Buffer) => (output += b.toString()));
    npm.stderr!.on('data', (b: Buffer) => (output += b.toString()));
    await waitFor(() => output.includes('已就绪') || npm.exitCode !== null, 200_000, 'npm start ready');
    if (!output.includes('已就绪')) throw new Error(`npm start did not start:\n${output}`);
  });

  afterAll(async () => {
    if (npm.exitCode === null) npm.kill('SIGKILL');
    for (const pid of descendants(npm.pid!)) process.kill(pid, 'SIGKILL');
    const redis = new Redis(testRedisUrl());
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
    await fs.rm(dataDir, { recursive: true, force: true });
  });

  it('runs migrate, import and keys status through the running service', async () => {
    const lock = JSON.parse(await fs.readFile(path.join(dataDir, 'pglite.lock'), 'utf8')) as { pid: number };
    const migrate = await runCli(['migrate'], env);
    expect(migrate.stderr).not.toContain('DATABASE_LOCKED');
    expect(migrate).toMatchObject({ code: 0 });
    expect(migrate.stdout).toContain('数据库迁移完成（内嵌 PGlite，经由运行中的雷卫服务）');

    const csv = path.join(dataDir, 'units.csv');
    await fs.writeFile(
      csv,
      [
        '统一社会信用代码,单位名称,行政区划代码,详细地址,单位类别,防雷类别',
        `${generateUscc('330110', 71)},余杭示例油库,330110,余杭区 71 号,易燃易爆场所,1`,
        `${generateUscc('330110', 72)},余杭示例影院,330110,余杭区 72 号,人员密集场所,3`,
      ].join('\n'),
    );
    const imported = await runCli(['import', 'units', csv], env);
    expect(imported.stderr).not.toContain('DATABASE_LOCKED');
    expect(imported).toMatchObject({ code: 0 });
    expect(imported.stdout).toContain('共 2 行，新增 2');

    const keys = await runCli(['keys', 'status'], env);
    expect(keys).toMatchObject({ code: 0 });
    expect(keys.stdout).toContain('所有加密数据均已使用当前密钥');

    // The service never let go of its folder: the same process holds the lock throughout.
    expect(JSON.parse(await fs.readFile(path.join(dataDir, 'pglite.lock'), 'utf8'))).toMatchObject({ pid: lock.pid });
    // And it still answers.
    const ready = await fetch(`http://127.0.0.1:${httpPort}/readyz`);
    expect(ready.status).toBe(200);
  });

  it('stops every process it started on SIGTERM to npm, within the drain timeout', async () => {
    const tree = [npm.pid!, ...descendants(npm.pid!)];
    expect(tree.length).toBeGreaterThanOrEqual(2);
    npm.kill('SIGTERM');
    await waitFor(() => tree.every((pid) => !alive(pid)), 60_000, 'every process of npm start to exit');
    expect(output).toContain('已停止');
    expect(output).not.toContain('停止超时');
    await expect(fs.stat(path.join(dataDir, 'pglite.lock'))).rejects.toThrow();
    await expect(fs.stat(path.join(dataDir, '.s.PGSQL.5432'))).rejects.toThrow();
  });
});

// The CLI beside the running service in the default embedded mode (issue #18): with `npm start`
// holding the PGlite folder, `leiguard migrate`, `import` (every kind a bureau needs),
// `map-dingtalk` (against the simulator npm start runs), `keys status` and `doctor` (every line ✓,
// exit 0) succeed from a second process, through the socket the service serves (never opening the
// folder); then SIGTERM to the `npm start` process stops every process it started, within the drain
// timeout.
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
      // doctor checks this year's and next year's holidays; the package may not cover the next yet.
      HOLIDAY_OVERRIDES: '{"2026-01-01":"rest","2027-01-01":"rest","2028-01-01":"rest"}',
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

  it('runs migrate, import, map-dingtalk, keys status and doctor through the running service', async () => {
    const lock = JSON.parse(await fs.readFile(path.join(dataDir, 'pglite.lock'), 'utf8')) as { pid: number };
    const migrate = await runCli(['migrate'], env);
    expect(migrate.stderr).not.toContain('DATABASE_LOCKED');
    expect(migrate).toMatchObject({ code: 0 });
    expect(migrate.stdout).toContain('数据库迁移完成（内嵌 PGlite，经由运行中的雷卫服务）');

    const usccA = generateUscc('330110', 71);
    const files: Record<string, string[]> = {
      units: [
        '统一社会信用代码,单位名称,行政区划代码,详细地址,单位类别,防雷类别',
        `${usccA},余杭示例油库,330110,余杭区 71 号,易燃易爆场所,1`,
        `${generateUscc('330110', 72)},余杭示例影院,330110,余杭区 72 号,人员密集场所,3`,
      ],
      bureaus: ['机构名称,管辖行政区划代码,上级机构名称', '杭州市余杭区气象局,330110,'],
      people: [
        '姓名,手机号,角色,职务,身份证号,所属单位统一社会信用代码',
        `陈晓峰,13700000071,重点单位负责人,,,${usccA}`,
      ],
      regulators: [
        '姓名,手机号,角色,职务,身份证号,所在机构名称,机构行政区划代码',
        '周志远,13700000072,执法人员,,,杭州市余杭区气象局,330110',
      ],
    };
    for (const [kind, lines] of Object.entries(files)) {
      const csv = path.join(dataDir, `${kind}.csv`);
      await fs.writeFile(csv, lines.join('\n'));
      const imported = await runCli(['import', kind, csv], env);
      expect(imported.stderr).not.toContain('DATABASE_LOCKED');
      expect(imported).toMatchObject({ code: 0 });
      expect(imported.stdout).toContain(`共 ${lines.length - 1} 行，新增 ${lines.length - 1}`);
    }

    // The two people are in the (simulated) DingTalk of the embedded mode; map-dingtalk finds them.
    const sim = `http://127.0.0.1:${env.SIMULATOR_PORT}`;
    const added = await fetch(`${sim}/__sim/users`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        users: [
          { userId: 'u_beside_chen', name: '陈晓峰', mobile: '13700000071' },
          { userId: 'u_beside_zhou', name: '周志远', mobile: '13700000072' },
        ],
      }),
    });
    expect(added.status).toBe(200);
    const mapped = await runCli(['map-dingtalk'], env);
    expect(mapped).toMatchObject({ code: 0 });
    expect(mapped.stdout).toContain('本次查询 2 人，匹配 2');

    const keys = await runCli(['keys', 'status'], env);
    expect(keys).toMatchObject({ code: 0 });
    expect(keys.stdout).toContain('所有加密数据均已使用当前密钥');

    const doctor = await runCli(['doctor'], env);
    expect(doctor.stdout).toContain('✓ 数据库与迁移：内嵌数据库，经由运行中的雷卫服务');
    expect(doctor.stdout).toContain('✓ 钉钉访问令牌');
    expect(doctor.stdout).toContain('✓ 名录');
    expect(doctor.stdout).not.toContain('✗');
    expect(doctor.stderr).toBe('');
    expect(doctor.code).toBe(0);

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

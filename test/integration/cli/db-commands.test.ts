// The real `leiguard` binary: --help, migrate, seed-demo and `audit verify` naming the first
// tampered row; settings from .env in the working directory, warnings as Chinese sentences.
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { appendAudit } from '../../../core/audit';
import { runCli } from '../../helpers/cli';
import { createEmptyDatabase } from '../../helpers/db';
import { PrismaClient } from '../../../core/db';
import { PrismaPg } from '@prisma/adapter-pg';

describe('leiguard CLI: database commands', () => {
  let db: Awaited<ReturnType<typeof createEmptyDatabase>>;
  let env: Record<string, string>;
  let prisma: PrismaClient;

  beforeAll(async () => {
    db = await createEmptyDatabase();
    env = {
      DATABASE_URL: db.url,
      DATA_DIR: path.join(os.tmpdir(), `lg-cli-${process.pid}`),
      DATA_ENCRYPTION_KEY: '42'.repeat(32),
    };
    prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: db.url }) });
  });
  afterAll(async () => {
    await prisma.$disconnect();
    await db.drop();
  });

  it('prints Chinese help listing every command', async () => {
    const r = await runCli(['--help'], env);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('用法：');
    for (const c of ['migrate', 'seed-demo', 'audit']) expect(r.stdout).toContain(c);
    const bad = await runCli(['no-such-command'], env);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('未知命令');
  });

  it('migrates an empty database, then seeds the demo data once', async () => {
    // DATABASE_URL from .env in the working directory; the process environment wins over it.
    const cwd = await fs.mkdtemp(path.join(os.tmpdir(), 'lg-cli-env-'));
    await fs.writeFile(path.join(cwd, '.env'), `DATABASE_URL=${db.url}\nDATA_DIR=${env.DATA_DIR}\n`);
    const { DATABASE_URL: _fromFile, ...rest } = env;
    const m = await runCli(['migrate'], { ...rest, DATA_DIR: '/nonexistent-but-overridden' }, { cwd });
    expect(m).toMatchObject({ code: 0 });
    expect(m.stdout).toContain('数据库迁移完成（PostgreSQL）');
    // Log lines reach the operator as sentences (警告：…), never as JSON.
    expect(m.stderr.split('\n').filter((l) => l.startsWith('{'))).toEqual([]);
    await fs.writeFile(path.join(cwd, '.env'), `DATABASE_URL=${db.url}\nWORKER_NICE=very\n`);
    const bad = await runCli(['migrate'], rest, { cwd });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/WORKER_NICE: .*（\.env 文件中为「very」）/);
    await fs.rm(cwd, { recursive: true, force: true });
    const first = await runCli(['seed-demo'], env);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('演示数据已导入');
    expect(await prisma.unit.count()).toBeGreaterThan(100);
    const again = await runCli(['seed-demo'], env);
    expect(again.stdout).toContain('此前已导入');
  });

  it('audit verify passes on an intact chain and names the first tampered row', async () => {
    const before = await prisma.auditEvent.count(); // the demo seed audits itself
    const ids: bigint[] = [];
    for (let i = 0; i < 5; i++) {
      const r = await prisma.$transaction((tx) =>
        appendAudit(tx, {
          actorKind: 'SYSTEM',
          action: 'cli.test',
          subjectType: 'test',
          subjectId: `s${i}`,
          data: { i },
        }),
      );
      ids.push(r.id);
    }
    const ok = await runCli(['audit', 'verify'], env);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain(`审计链完整：共校验 ${before + 5} 条记录`);

    // Around the append-only trigger, as an intruder with database rights would.
    await prisma.$executeRawUnsafe('ALTER TABLE "AuditEvent" DISABLE TRIGGER "AuditEvent_append_only"');
    await prisma.$executeRawUnsafe(`UPDATE "AuditEvent" SET data = '{"i": 99}' WHERE id = ${ids[2]}`);
    await prisma.$executeRawUnsafe('ALTER TABLE "AuditEvent" ENABLE TRIGGER "AuditEvent_append_only"');
    const broken = await runCli(['audit', 'verify'], env);
    expect(broken.code).toBe(1);
    expect(broken.stdout).toContain(`第一条异常记录 id=${ids[2]}`);
    expect(broken.stdout).toContain('记录内容与其哈希不符');
    const json = await runCli(['audit', 'verify', '--json'], env);
    expect(JSON.parse(json.stdout)).toMatchObject({
      ok: false,
      brokenAt: String(ids[2]),
      reason: 'HASH_MISMATCH',
      checked: before + 3,
    });
  });
});

// `leiguard doctor` (接入自检): checks, in order, everything a bureau's installation needs before
// its first real notice, and says for each failure what to do. Nothing is written to the
// database, no message reaches a person (./dingtalk-probes.ts). A step that cannot run because an
// earlier one failed is reported as not checked.
import type Redis from 'ioredis';
import { createRedis, describeRedis, loadConfig, type Config } from '../../../core/config';
import { openDatabase, readMigrations, unreachable, type Database } from '../../../core/db';
import { checkDirectory } from '../../../core/directory/check';
import { hasHolidayData, setCalendarOverrides } from '../../../core/domain/working-days';
import { todoSyncHealth } from '../../../core/todos';
import type { Logger } from '../../../core/logger';
import { resolveRedis, type RedisEndpoint } from '../../redis';
import { dingtalkChecks, govCheck } from './dingtalk-checks';
import type { CheckLine, CheckResult } from './types';

/** What Prisma's driver adapter says about a failed query (its error's meta.driverAdapterError.cause). */
interface DriverCause {
  originalCode?: string;
  originalMessage?: string;
  kind?: string;
  host?: string;
  port?: number;
}
function driverCause(err: unknown): DriverCause | undefined {
  return (err as { meta?: { driverAdapterError?: { cause?: DriverCause } } }).meta?.driverAdapterError?.cause;
}

/** The driver adapter's kinds of connection failure, as the Postgres or socket codes unreachable() names. */
const DRIVER_KINDS: Record<string, string> = {
  DatabaseDoesNotExist: '3D000',
  AuthenticationFailed: '28P01',
  DatabaseNotReachable: 'ECONNREFUSED',
  TlsConnectionError: 'ECONNREFUSED',
};

/** Runs every check, reporting each line as it completes; resolves to all lines. */
export async function runDoctor(
  logger: Logger,
  report: (line: CheckLine) => void,
  now = new Date(),
): Promise<CheckLine[]> {
  const lines: CheckLine[] = [];
  const add = (title: string, r: CheckResult) => {
    const line = { title, ...r };
    lines.push(line);
    report(line);
  };
  const skip = (title: string, because: string) =>
    add(title, { ok: false, skipped: true, detail: `未检查：${because}` });

  // 1. Configuration.
  let config: Config;
  try {
    config = loadConfig();
  } catch (err) {
    add('配置（环境变量与 .env）', {
      ok: false,
      detail: err instanceof Error ? err.message : String(err),
      advice: '按提示修改 .env 或环境变量中的这些设置（说明见 .env.example）',
    });
    return lines;
  }
  const embeddedDingTalk = !config.dingtalk.appKey && config.runtime.simulator;
  add('配置（环境变量与 .env）', {
    ok: true,
    detail: [
      config.runtime.embeddedDb ? '内嵌数据库' : 'PostgreSQL',
      embeddedDingTalk ? '钉钉模拟器（演示模式，未配置 DINGTALK_APP_KEY）' : `钉钉 ${config.dingtalk.apiBase}`,
      config.directory.provinceCode ? `辖区 ${config.directory.provinceCode}` : '未设置 PROVINCE_CODE',
    ].join('，'),
  });

  // 2. Database and migrations.
  let db: Database | undefined;
  let migrated = false;
  try {
    db = await openDatabase({ databaseUrl: config.runtime.databaseUrl, dataDir: config.runtime.dataDir }, logger);
    const files = await readMigrations();
    const applied = new Set(
      (
        await db.prisma
          .$queryRawUnsafe<
            Array<{ migration_name: string }>
          >('SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL')
          .catch((err: unknown) => {
            // No migrations table: an empty database, every migration pending. Anything else (no
            // such database, refused, unreachable) is the database line's failure, in words.
            const cause = driverCause(err);
            if (cause?.originalCode === '42P01') return [];
            if (!cause) throw err;
            const where = cause.host ? `${cause.host}:${cause.port ?? ''}` : undefined;
            throw unreachable({
              code: cause.originalCode ?? DRIVER_KINDS[cause.kind ?? ''],
              message: cause.originalMessage ?? where ?? cause.kind,
            });
          })
      ).map((r) => r.migration_name),
    );
    const pending = files.filter((f) => !applied.has(f.name));
    migrated = pending.length === 0;
    const where =
      db.kind === 'postgres' ? 'PostgreSQL' : db.via === 'socket' ? '内嵌数据库，经由运行中的雷卫服务' : '内嵌数据库';
    add(
      '数据库与迁移',
      pending.length === 0
        ? { ok: true, detail: `${where}，${files.length} 个迁移均已执行` }
        : {
            ok: false,
            detail: `${where}，有 ${pending.length} 个迁移尚未执行（${pending[0]!.name} 等）`,
            advice: '运行 npx leiguard migrate（npm start 启动时也会执行）',
          },
    );
  } catch (err) {
    await db?.close().catch(() => undefined);
    db = undefined;
    add('数据库与迁移', {
      ok: false,
      detail: err instanceof Error ? err.message : String(err),
      advice: config.runtime.embeddedDb
        ? '检查 DATA_DIR 是否可写；嵌入式数据库被其他命令占用时请等它结束'
        : '检查 DATABASE_URL（地址、端口、用户名、密码、数据库名）以及数据库服务器是否允许本机连接',
    });
  }

  try {
    // 3. Redis.
    let redisEndpoint: RedisEndpoint | undefined;
    let redis: Redis | undefined;
    try {
      redisEndpoint = await resolveRedis(
        {
          redisUrl: config.runtime.redisUrl,
          dataDir: config.runtime.dataDir,
          envPath: config.runtime.searchPath,
          sentinels: config.redis.sentinels,
          sentinelName: config.redis.sentinelName,
        },
        logger,
      );
      redis = createRedis(redisEndpoint.target, { maxRetriesPerRequest: 1 });
      await redis.ping();
      add('Redis', {
        ok: true,
        detail: `${describeRedis(redisEndpoint.target)}（${redisEndpoint.source === 'REDIS_URL' ? '来自 REDIS_URL' : redisEndpoint.source === 'REDIS_SENTINELS' ? '来自 REDIS_SENTINELS' : '本机'}）`,
      });
    } catch (err) {
      add('Redis', {
        ok: false,
        detail: err instanceof Error ? err.message : String(err),
        advice: '检查 REDIS_URL 与 Redis 服务是否运行（Debian/Ubuntu：sudo apt-get install -y redis-server）',
      });
    }

    try {
      await dingtalkChecks(config, embeddedDingTalk, redis, add, skip);
    } finally {
      redis?.disconnect();
      await redisEndpoint?.stop();
    }

    // Government DingTalk, when configured.
    await govCheck(config, add);

    // Holiday calendar: this year and the next.
    setCalendarOverrides(config.calendar.holidayOverrides);
    const year = Number(new Intl.DateTimeFormat('en', { timeZone: 'Asia/Shanghai', year: 'numeric' }).format(now));
    const missing = [year, year + 1].filter((y) => !hasHolidayData(y));
    add(
      `节假日日历（${year}、${year + 1} 年）`,
      missing.length === 0
        ? { ok: true, detail: '已覆盖' }
        : {
            ok: false,
            detail: `未覆盖 ${missing.join('、')} 年：这些年份的整改期限只按周末计算`,
            advice: `升级 chinese-days，或在 HOLIDAY_OVERRIDES 中按国务院放假安排填写，如 {"${missing[0]}-01-01":"rest"}（README「Configuration」）`,
          },
    );

    // Regions and directory.
    if (!db) {
      skip('行政区划', '数据库不可用');
      skip('名录（npx leiguard directory check）', '数据库不可用');
    } else if (!migrated) {
      // The tables may not exist yet (an empty database): the migrate line above says what to do.
      skip('行政区划', '数据库尚未迁移');
      skip('名录（npx leiguard directory check）', '数据库尚未迁移');
    } else {
      const regions = await db.prisma.region.count({ where: { retiredAt: null } });
      add(
        '行政区划',
        regions > 0
          ? { ok: true, detail: `${regions} 条现行区划` }
          : { ok: false, detail: '数据库中没有行政区划', advice: '运行 npx leiguard regions load' },
      );
      if (config.todo.sync) {
        const todos = await todoSyncHealth(db.prisma);
        const refused = todos.refused.reduce((n, r) => n + r.count, 0);
        add(
          '钉钉待办同步',
          refused === 0
            ? { ok: true, detail: `${todos.open} 项待办${todos.pending ? `，${todos.pending} 项待同步` : ''}` }
            : {
                ok: false,
                detail: todos.refused.map((r) => `${r.count} 项：${r.message}`).join('；'),
                advice:
                  '按上述原因处理（申请待办权限、运行 npx leiguard map-dingtalk 补全 unionId），已拒绝的待办随后自动重试',
              },
        );
      }
      const dir = await checkDirectory(db.prisma, 3);
      const bad = dir.groups.filter((g) => g.count > 0);
      add(
        '名录（npx leiguard directory check）',
        dir.ok
          ? { ok: true, detail: '单位均有监管机构，人员均已关联钉钉账号，机构均有执法人员' }
          : {
              ok: false,
              detail: bad.map((g) => `${g.title}：${g.count}`).join('；'),
              advice: '运行 npx leiguard directory check 查看名单和每一项的处理办法',
            },
      );
    }
  } finally {
    await db?.close();
  }
  return lines;
}

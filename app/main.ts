// `npm start`: LeiGuard with zero set-up (embedded PGlite, a Redis found or started, the DingTalk
// simulator, demo data) or, with DATABASE_URL / REDIS_URL / DingTalk credentials, against real
// services. The code path is the same; only base URLs and secrets differ.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { describeRedis, loadConfig, type Config } from '../core/config';
import { loadDataKey } from '../core/crypto';
import { keyUsage, keyUsageWarnings } from '../core/crypto/key-usage';
import { openDatabase } from '../core/db';
import { DEMO_PEOPLE_BY_ROLE, listDirectoryForDingTalk, listOrgsForDingTalk, seedDemo } from '../core/db/seed-demo';
import { AppError } from '../core/errors';
import { loadRegionsOnFirstMigrate } from '../core/regions';
import { createLogger } from '../core/logger';
import { checkTemplates } from '../templates';
import { runDemoThread } from './demo';
import { resolveRedis } from './redis';
import { startRuntime } from './runtime';

/** Prints a start-up failure for a person and exits 1. */
function fail(err: unknown): never {
  const e = err as { code?: string; port?: number };
  if (e && e.code === 'EADDRINUSE') {
    process.stderr.write(
      `\n雷卫启动失败：端口 ${e.port} 已被占用。请关闭占用该端口的程序（可能是另一个雷卫实例），或用 HTTP_PORT / SIMULATOR_PORT 换一个端口。\n` +
        `LeiGuard failed to start: port ${e.port} is in use (set HTTP_PORT / SIMULATOR_PORT).\n`,
    );
    process.exit(1);
  }
  const msg =
    err instanceof AppError
      ? `${err.message}\n(错误代码 error code: ${err.code})`
      : err instanceof Error
        ? (err.stack ?? err.message)
        : String(err);
  process.stderr.write(`\n雷卫启动失败 / LeiGuard failed to start:\n${msg}\n`);
  process.exit(1);
}

async function main(): Promise<void> {
  const started = Date.now();
  let config: Config = loadConfig();
  const logger = createLogger({ level: config.runtime.logLevel });
  fs.mkdirSync(config.runtime.dataDir, { recursive: true });

  const redis = await resolveRedis(
    {
      redisUrl: config.runtime.redisUrl,
      dataDir: config.runtime.dataDir,
      envPath: config.runtime.searchPath,
      sentinels: config.redis.sentinels,
      sentinelName: config.redis.sentinelName,
    },
    logger,
  );
  // Loaded only when used: processes talking to real DingTalk (and workers) never load the simulator.
  const embedded = config.runtime.simulator ? await import('./embedded') : undefined;
  const sim = embedded ? await embedded.startEmbeddedSimulator(config.runtime.simulatorPort, logger) : undefined;
  if (embedded && sim) config = loadConfig(undefined, { SIMULATOR: 'true', ...embedded.simulatorEnv(sim) });

  const problems = checkTemplates(config.dingtalk);
  if (problems.length > 0) {
    throw new AppError(
      'TEMPLATES_INVALID',
      `通知模板检查未通过：\n${problems.map((p) => `  - ${p.kind ?? p.file ?? ''} ${p.message}`).join('\n')}`,
    );
  }

  // serve: the CLI reaches the embedded database through this process (core/db/pglite-server.ts).
  const db = await openDatabase(
    { databaseUrl: config.runtime.databaseUrl, dataDir: config.runtime.dataDir, serve: true },
    logger,
  );
  await loadRegionsOnFirstMigrate(db.prisma, await db.migrate(), logger);
  const dataKey = loadDataKey(config.crypto, config.runtime.dataDir);
  // Rows left under a previous (or a missing) key: say so at every start until rotation is done.
  for (const warning of keyUsageWarnings(await keyUsage(db.prisma, dataKey))) logger.warn(warning);
  if (config.runtime.demoSeed) await seedDemo(db.prisma, dataKey);
  if (embedded && sim) {
    await embedded.registerCardTemplates(sim);
    const deptOf = await embedded.loadDepartments(sim, await listOrgsForDingTalk(db.prisma));
    const people = await listDirectoryForDingTalk(db.prisma, dataKey);
    await embedded.loadDirectory(
      sim,
      people.map((p) => ({
        userId: p.dingUserId,
        unionId: p.unionId ?? undefined,
        name: p.name,
        mobile: p.mobile ?? undefined,
        title: p.title ?? undefined,
        deptIds: p.orgId && deptOf.has(p.orgId) ? [deptOf.get(p.orgId)!] : undefined,
      })),
    );
  }

  const adminPassword = config.server.adminPassword ?? randomBytes(9).toString('base64url');
  const runtime = await startRuntime({
    config,
    logger,
    db,
    redisUrl: redis.url,
    redis: redis.target,
    dataKey,
    adminPassword,
  });
  if (config.runtime.demoSeed) await runDemoThread(runtime, logger);

  const base = runtime.httpUrl ?? `http://${config.server.host}:${config.server.port}`;
  if (embedded && sim) {
    await embedded.configureEmbeddedApp(sim, {
      homepageUrl: `${runtime.deps.publicBaseUrl}/m/tasks`,
      pinnedUsers: config.runtime.demoSeed ? DEMO_PEOPLE_BY_ROLE : undefined,
    });
  }
  const lines = [
    `雷卫 LeiGuard 已就绪（用时 ${((Date.now() - started) / 1000).toFixed(1)} 秒）`,
    `  数据库：${db.kind === 'pglite' ? `内嵌 PGlite（${config.runtime.dataDir}/pglite）` : 'PostgreSQL'}`,
    `  Redis：${describeRedis(redis.target)}（${{ REDIS_URL: '来自 REDIS_URL', REDIS_SENTINELS: '来自 REDIS_SENTINELS', 'local-6379': '本机 6379', child: '私有 redis-server 子进程' }[redis.source]}）`,
    sim ? `  钉钉模拟器聊天界面：${sim.url}/` : `  钉钉：${config.dingtalk.apiBase}`,
    `  小程序：${base}/m/`,
    `  管理后台（任务队列）：${base}/admin/queues  用户 ${config.server.adminUser}${config.server.adminPassword ? '' : ` 密码 ${adminPassword}（本次随机生成）`}`,
    `  健康检查：${base}/healthz  ${base}/readyz  指标：${base}/metrics`,
    '按 Ctrl+C 停止。',
  ];
  process.stdout.write(`\n${lines.join('\n')}\n\n`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) {
      logger.warn('再次收到停止信号，立即退出');
      process.exit(1);
    }
    stopping = true;
    logger.info({ signal }, '正在停止：等待进行中的任务完成');
    // Past the drain timeout the process exits anyway; the Redis it started goes with it.
    const deadline = setTimeout(() => {
      logger.warn(`停止超时（${config.runtime.shutdownTimeoutMs / 1000} 秒），强制退出`);
      void redis.stop().finally(() => process.exit(1));
    }, config.runtime.shutdownTimeoutMs);
    deadline.unref();
    await runtime.close();
    await sim?.close();
    await db.close();
    await redis.stop();
    logger.info('已停止');
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
}

main().catch(fail);

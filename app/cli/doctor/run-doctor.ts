// `leiguard doctor` (接入自检): checks, in order, everything a bureau's installation needs before
// its first real notice, and says for each failure what to do. Nothing is written to the
// database, no message reaches a person (./dingtalk-probes.ts). A step that cannot run because an
// earlier one failed is reported as not checked.
import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { DingTalkClient } from '../../../bot/clients';
import { DingTalkApiError } from '../../../bot/clients/errors';
import { readAppQuotaState } from '../../../bot/clients/monthly-calls';
import { GovDingTalkClient } from '../../../bot/clients/gov/gov-client';
import { ConfigurableDWClient } from '../../../bot/clients/stream/dw-client';
import { loadConfig, type Config } from '../../../core/config';
import { openDatabase, readMigrations, type Database } from '../../../core/db';
import { checkDirectory } from '../../../core/directory/check';
import { hasHolidayData, setCalendarOverrides } from '../../../core/domain/working-days';
import { AppError } from '../../../core/errors';
import type { Logger } from '../../../core/logger';
import { listTemplates } from '../../../templates';
import { shippedLayouts } from '../../../templates/layout';
import { resolveRedis, type RedisEndpoint } from '../../redis';
import { PERMISSION_PROBES, probeTemplate } from './dingtalk-probes';
import type { CheckLine, CheckResult } from './types';

const CONSOLE = '钉钉开发者后台（open-dev.dingtalk.com）→ 应用开发 → 企业内部应用 → 本应用';

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
          .catch(() => [])
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
        { redisUrl: config.runtime.redisUrl, dataDir: config.runtime.dataDir, envPath: config.runtime.searchPath },
        logger,
      );
      redis = new Redis(redisEndpoint.url, { maxRetriesPerRequest: 1 });
      await redis.ping();
      add('Redis', {
        ok: true,
        detail: `${redisEndpoint.url}（${redisEndpoint.source === 'REDIS_URL' ? '来自 REDIS_URL' : '本机'}）`,
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

/** Token, permissions, robot code, templates, agent id, stream or HTTP callback settings. */
async function dingtalkChecks(
  config: Config,
  embedded: boolean,
  redis: Redis | undefined,
  add: (title: string, r: CheckResult) => void,
  skip: (title: string, because: string) => void,
): Promise<void> {
  const titles = [
    '钉钉访问令牌（AppKey / AppSecret）',
    '应用 AgentId（工作通知）',
    ...PERMISSION_PROBES.map((p) => p.title),
    '互动卡片模板',
    config.dingtalk.inboundMode === 'http' ? '事件回调（HTTP 模式）' : 'Stream 长连接',
  ];
  if (!redis) {
    for (const t of titles) skip(t, 'Redis 不可用（令牌缓存与限流需要它）');
    return;
  }
  let dt = config.dingtalk;
  if (embedded) {
    // Embedded mode: the simulator `npm start` runs stands in for DingTalk (as map-dingtalk uses it).
    const { EMBEDDED_APP } = await import('../../embedded');
    const base = `http://127.0.0.1:${config.runtime.simulatorPort}`;
    dt = {
      ...dt,
      appKey: EMBEDDED_APP.appKey,
      appSecret: EMBEDDED_APP.appSecret,
      corpId: EMBEDDED_APP.corpId,
      agentId: EMBEDDED_APP.agentId,
      robotCode: EMBEDDED_APP.robotCode,
      apiBase: base,
      oapiBase: base,
    };
  }
  // A key prefix of its own: the token must be fetched with these credentials now, never taken from
  // the service's cache (a wrong secret would pass); its keys are removed at the end.
  const keyPrefix = `${config.jobs.queuePrefix}:doctor:${randomUUID()}:`;
  const client = new DingTalkClient({ config: dt, redis, keyPrefix, limiter: null, timeoutMs: 8_000 });
  try {
    await probeDingTalk(client, dt, config, add, skip, titles);
  } finally {
    const keys = await redis.keys(`${keyPrefix}*`).catch(() => []);
    if (keys.length > 0) await redis.del(...keys).catch(() => undefined);
  }
  add('钉钉接口限流与本月调用量', await quotaCheck(redis, `${config.jobs.queuePrefix}:`, dt));
}

/**
 * What the running service learned about DingTalk's quotas (shared in Redis by every process) and
 * this month's metered calls against DINGTALK_MONTHLY_CALLS: ✗ from 80 % of the budget.
 */
async function quotaCheck(redis: Redis, basePrefix: string, dt: Config['dingtalk']): Promise<CheckResult> {
  const s = await readAppQuotaState(redis, basePrefix, dt);
  const rates = s.learned.map(
    (l) =>
      `${l.api} 已降至 ${l.rate.toFixed(1)} 次/秒（上限 ${l.ceiling} 次/秒）` +
      (l.pausedUntil ? `，暂停至 ${l.pausedUntil.toISOString()}` : ''),
  );
  const month =
    `本月（${s.month}）计量调用 ${s.metered} 次` +
    (s.budget !== undefined
      ? `，DINGTALK_MONTHLY_CALLS=${s.budget}（${Math.round((100 * s.metered) / s.budget)}%）`
      : '');
  const detail = [rates.length > 0 ? `钉钉限流：${rates.join('；')}` : '各接口按配置速率调用，未遇钉钉限流', month];
  return s.warning
    ? {
        ok: false,
        detail: detail.join('；'),
        advice:
          '本月调用量已超过额度的 80%：升级钉钉版本或联系钉钉提高额度；超额后接口返回 ApiCountLimitForOrg / 90020，通知将发送失败',
      }
    : { ok: true, detail: detail.join('；') };
}

/** The checks that need the DingTalk client, in order. */
async function probeDingTalk(
  client: DingTalkClient,
  dt: Config['dingtalk'],
  config: Config,
  add: (title: string, r: CheckResult) => void,
  skip: (title: string, because: string) => void,
  titles: string[],
): Promise<void> {
  const embedded = !config.dingtalk.appKey && config.runtime.simulator;
  try {
    await client.getAccessToken();
    add(titles[0]!, { ok: true, detail: `应用 ${dt.appKey}${embedded ? '（模拟器）' : ''}` });
  } catch (err) {
    const e = err instanceof DingTalkApiError ? err : undefined;
    add(titles[0]!, {
      ok: false,
      detail: e ? `${e.dingMessage ?? e.message}${e.dingCode ? `（${e.dingCode}）` : ''}` : String(err),
      advice: embedded
        ? `演示模式下本命令检查 npm start 启动的钉钉模拟器（端口 SIMULATOR_PORT=${config.runtime.simulatorPort}）：请先运行 npm start`
        : e?.kind === 'network'
          ? `无法连接 ${dt.apiBase}：检查服务器能否访问钉钉开放平台（防火墙、代理），或 DINGTALK_API_BASE / DINGTALK_OAPI_BASE`
          : `DINGTALK_APP_KEY / DINGTALK_APP_SECRET 不正确：在${CONSOLE} → 凭证与基础信息 复制 Client ID（AppKey）与 Client Secret（AppSecret）`,
    });
    for (const t of titles.slice(1)) skip(t, '没有访问令牌');
    return;
  }
  add(
    '应用 AgentId（工作通知）',
    dt.agentId
      ? { ok: true, detail: String(dt.agentId) }
      : {
          ok: false,
          detail: '未配置 DINGTALK_AGENT_ID',
          advice: `在${CONSOLE} → 凭证与基础信息 复制 AgentId，写入 DINGTALK_AGENT_ID`,
        },
  );
  for (const p of PERMISSION_PROBES) add(p.title, await p.run(client));

  // Card templates: every notice kind's (configured or default) template id, each once.
  const layouts = shippedLayouts().layouts;
  const ids = new Map<string, string[]>();
  for (const t of listTemplates()) {
    if (!t.card) continue;
    const id = config.dingtalk.cardTemplates[t.kind] ?? layouts.get(t.card.layout)?.templateId;
    if (id) ids.set(id, [...(ids.get(id) ?? []), t.kind]);
  }
  const bad: string[] = [];
  let advice: string | undefined;
  for (const [id, kinds] of ids) {
    const r = await probeTemplate(client, id);
    if (!r.ok) {
      bad.push(`${id}（${kinds.join('、')}）：${r.detail ?? ''}`);
      advice ??= r.advice;
    }
  }
  add(
    titles[PERMISSION_PROBES.length + 2]!,
    bad.length === 0 ? { ok: true, detail: `${ids.size} 个模板均可用` } : { ok: false, detail: bad.join('；'), advice },
  );

  // Inbound: the stream gateway registers us (no socket is opened: a second connection beside a
  // running service would take some of its callbacks), or the HTTP callback settings are complete.
  const last = titles[titles.length - 1]!;
  if (config.dingtalk.inboundMode === 'http') {
    const missing = [
      !config.dingtalk.callbackToken && 'DINGTALK_CALLBACK_TOKEN',
      !config.dingtalk.callbackAesKey && 'DINGTALK_CALLBACK_AES_KEY',
      !config.server.publicBaseUrl && 'PUBLIC_BASE_URL',
    ].filter(Boolean);
    add(
      last,
      missing.length === 0
        ? { ok: true, detail: `回调地址 ${config.server.publicBaseUrl}/dingtalk/events` }
        : {
            ok: false,
            detail: `缺少 ${missing.join('、')}`,
            advice: `在${CONSOLE} → 事件订阅 选择 HTTP 推送，填写 <PUBLIC_BASE_URL>/dingtalk/events，并把其中的 token 与 aes_key 写入上述设置`,
          },
    );
    return;
  }
  try {
    await new ConfigurableDWClient({
      clientId: dt.appKey!,
      clientSecret: dt.appSecret!,
      apiBase: dt.apiBase,
      oapiBase: dt.oapiBase,
      subscriptions: [{ type: 'CALLBACK', topic: '/v1.0/card/instances/callback' }],
      timeoutMs: 8_000,
    }).getEndpoint();
    add(last, { ok: true, detail: '网关已分配连接地址' });
  } catch (err) {
    add(last, {
      ok: false,
      detail: err instanceof Error ? err.message : String(err),
      advice: `在${CONSOLE} → 事件订阅 选择「Stream 模式推送」；网络禁止出站 WebSocket 时改用 DINGTALK_INBOUND_MODE=http`,
    });
  }
}

/** The government gateway's token, when its four settings are there. */
async function govCheck(config: Config, add: (title: string, r: CheckResult) => void): Promise<void> {
  const g = config.gov;
  const set = [g.baseUrl, g.appKey, g.appSecret, g.tenantId].filter(Boolean).length;
  if (set === 0) return;
  const title = '政务钉钉网关（专有钉钉 / 浙政钉）';
  if (set < 4) {
    add(title, {
      ok: false,
      detail: '只配置了部分设置',
      advice: 'GOV_DINGTALK_BASE_URL、GOV_DINGTALK_APP_KEY、GOV_DINGTALK_APP_SECRET、GOV_DINGTALK_TENANT_ID 须同时设置',
    });
    return;
  }
  try {
    await new GovDingTalkClient({
      baseUrl: g.baseUrl!,
      appKey: g.appKey!,
      appSecret: g.appSecret!,
      tenantId: g.tenantId!,
      version: g.signVersion,
      ip: g.clientIp,
      mac: g.clientMac,
      tokenPath: g.tokenPath,
      workNotificationPath: g.workNotificationPath,
      tokenParam: g.tokenParam,
    }).accessToken();
    add(title, { ok: true, detail: g.baseUrl });
  } catch (err) {
    add(title, {
      ok: false,
      detail: err instanceof AppError ? err.message : String(err),
      advice:
        '核对 GOV_DINGTALK_* 设置（网关地址、AppKey、AppSecret、租户 ID、签名版本）与政务钉钉开放平台中的应用信息',
    });
  }
}

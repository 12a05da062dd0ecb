// The DingTalk part of `leiguard doctor` (run-doctor.ts): token, permissions, robot code, card
// templates, agent id, stream or HTTP callback settings, and the government gateway when configured.
import { randomUUID } from 'node:crypto';
import type Redis from 'ioredis';
import { DingTalkClient } from '../../../bot/clients';
import { DingTalkApiError } from '../../../bot/clients/errors';
import { GovDingTalkClient } from '../../../bot/clients/gov/gov-client';
import { ConfigurableDWClient } from '../../../bot/clients/stream/dw-client';
import type { Config } from '../../../core/config';
import { AppError } from '../../../core/errors';
import { listTemplates } from '../../../templates';
import { cardForms } from './card-forms';
import { PERMISSION_PROBES, probeTemplate, unreachableDetail } from './dingtalk-probes';
import { QUOTA_CHECK_TITLE, quotaCheck } from './quota-check';
import type { CheckResult } from './types';

const CONSOLE = '钉钉开发者后台（open-dev.dingtalk.com）→ 应用开发 → 企业内部应用 → 本应用';

/** Token, permissions, robot code, templates, agent id, stream or HTTP callback settings. */
export async function dingtalkChecks(
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
  add(QUOTA_CHECK_TITLE, await quotaCheck(redis, `${config.jobs.queuePrefix}:`, dt));
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
      detail:
        e?.kind === 'network' && e.httpStatus === undefined
          ? unreachableDetail(e, dt.apiBase)
          : e
            ? `${e.dingMessage ?? e.message}${e.dingCode ? `（${e.dingCode}）` : ''}`
            : String(err),
      advice: embedded
        ? `演示模式下本命令检查 npm start 启动的钉钉模拟器（端口 SIMULATOR_PORT=${config.runtime.simulatorPort}）：请先运行 npm start`
        : e?.kind === 'network'
          ? `检查这台服务器能否访问钉钉开放平台（${[...new Set([dt.apiBase, dt.oapiBase])].join('、')}；防火墙、代理），地址不对时改 DINGTALK_API_BASE / DINGTALK_OAPI_BASE`
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
  for (const p of PERMISSION_PROBES) add(p.title, await p.run(client, { todoSync: config.todo.sync }));

  // Card templates: every configured template id, each once. Kinds without one go out as 普通版
  // cards (StandardCard), which need nothing in the tenant (docs/cards.md).
  const ids = new Map<string, string[]>();
  for (const t of listTemplates()) {
    const id = t.card ? config.dingtalk.cardTemplates[t.kind] : undefined;
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
  // Per kind: its template or the 普通版 card, and the shared warning card's template or fallback.
  const forms = cardForms(config);
  add(
    titles[PERMISSION_PROBES.length + 2]!,
    bad.length > 0
      ? { ok: false, detail: `${bad.join('；')}。${forms}`, advice }
      : ids.size > 0
        ? { ok: true, detail: `${ids.size} 个模板均可用。${forms}` }
        : { ok: true, detail: `未配置 DINGTALK_CARD_TEMPLATES。${forms}` },
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
export async function govCheck(config: Config, add: (title: string, r: CheckResult) => void): Promise<void> {
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

// The DingTalk part of `leiguard doctor`: each permission LeiGuard needs, probed with a call that
// changes nothing anyone sees (an unknown user, an unknown card, a bogus auth code). A call that
// reaches the API (success, or an error about its parameters) shows the permission is granted; a
// permission error (403 Forbidden.AccessDenied.AccessTokenPermissionDenied, 400 apiPermissionDenied,
// errcode 60011: bot/clients/errors.ts) shows it is not. Whether DingTalk checks the permission
// before the parameters is UNCONFIRMED for each API; the simulator does (simulator/README.md).
import { randomUUID } from 'node:crypto';
import { DingTalkApiError } from '../../../bot/clients/errors';
import type { DingTalkClient } from '../../../bot/clients';
import type { CheckResult } from './types';

/** A userId no tenant has: messages to it are refused per recipient, never delivered. */
const NOBODY = 'leiguard-doctor-probe';

const CONSOLE = '钉钉开发者后台（open-dev.dingtalk.com）→ 应用开发 → 企业内部应用 → 本应用';

/** The 普通版 card JSON of the probe (templates/standard-card.ts): a title and one line. */
const PROBE_CARD = JSON.stringify({
  config: { autoLayout: true, enableForward: false },
  header: { title: { type: 'text', text: '雷卫接入自检' } },
  contents: [{ type: 'markdown', text: '雷卫接入自检', id: 'markdown_1' }],
});

/** Advice for a permission that is missing. */
function applyFor(permission: string, scope?: string): string {
  return `在${CONSOLE} → 开发配置 → 权限管理 中申请「${permission}」${scope ? `（权限码 ${scope}）` : ''}，审批通过后重新运行 npx leiguard doctor`;
}

/** Classifies a probe's outcome. */
const NETWORK_WORDS: Array<[RegExp, string]> = [
  [/ECONNREFUSED/, '连接被拒绝'],
  [/ENOTFOUND|EAI_AGAIN/, '域名无法解析'],
  [/ETIMEDOUT|timeout|timed out/i, '连接超时'],
  [/ECONNRESET|socket hang up/i, '连接被中断'],
  [/EHOSTUNREACH|ENETUNREACH/, '网络不可达'],
  [/CERT|SELF_SIGNED|UNABLE_TO_VERIFY/, '证书校验失败（代理或中间设备替换了证书）'],
];

/** Why DingTalk at `base` could not be reached, in words (the system's code kept in brackets). */
export function unreachableDetail(err: DingTalkApiError, base: string): string {
  const raw = `${err.dingMessage ?? ''} ${err.message}`;
  const words = NETWORK_WORDS.find(([re]) => re.test(raw))?.[1] ?? '网络错误';
  const code = /\b(E[A-Z_]{3,}|[A-Z_]*CERT[A-Z_]*)\b/.exec(raw)?.[1];
  return `无法连接钉钉（${base}）：${words}${code ? `（${code}）` : ''}`;
}

function outcome(err: unknown, permission: string, scope?: string): CheckResult {
  if (!err) return { ok: true };
  if (err instanceof DingTalkApiError) {
    if (err.kind === 'invalid') return { ok: true, detail: '接口可调用' };
    if (err.kind === 'permission')
      return {
        ok: false,
        detail: `钉钉拒绝：${err.dingMessage ?? err.dingCode ?? err.message}`,
        advice: applyFor(permission, scope),
      };
    if (err.kind === 'auth')
      return { ok: false, detail: `鉴权失败：${err.dingMessage ?? err.message}`, advice: '见上方「钉钉访问令牌」一项' };
    return {
      ok: false,
      detail: err.message,
      advice: '钉钉暂时无法访问或繁忙，请稍后重试；持续出现请检查网络与 DINGTALK_API_BASE / DINGTALK_OAPI_BASE',
    };
  }
  return { ok: false, detail: err instanceof Error ? err.message : String(err) };
}

const attempt = async (fn: () => Promise<unknown>): Promise<unknown> => {
  try {
    await fn();
    return undefined;
  } catch (err) {
    return err;
  }
};

/** One permission probe. */
export interface PermissionProbe {
  title: string;
  /** `todoSync`: whether to-dos are synced (TODO_SYNC); a probe for a feature turned off says so. */
  run(dt: DingTalkClient, opts: { todoSync: boolean }): Promise<CheckResult>;
}

/** The permissions LeiGuard uses, each with its harmless probe. */
export const PERMISSION_PROBES: PermissionProbe[] = [
  {
    title: '权限：机器人单聊消息（隐患通知、提醒）',
    async run(dt) {
      const err = await attempt(() =>
        dt.robotBatchSend({ userIds: [NOBODY], msgKey: 'sampleText', msgParam: { content: '雷卫接入自检' } }),
      );
      if (err instanceof DingTalkApiError && /robotCode/i.test(err.dingCode ?? ''))
        return {
          ok: false,
          detail: `机器人编码无效：${err.dingMessage ?? err.dingCode}`,
          advice: `DINGTALK_ROBOT_CODE 应为本应用机器人的 RobotCode（${CONSOLE} → 机器人与消息推送；企业内部应用默认等于 AppKey）`,
        };
      const r = outcome(err, '企业内机器人发送消息权限', 'qyapi_robot_sendmsg');
      // Until it is granted, robot messages go as work notices (RobotOtoChannel.fallback).
      if (err instanceof DingTalkApiError && err.kind === 'permission')
        return { ...r, detail: `${r.detail ?? ''}：获批前机器人消息改以工作通知发送` };
      return r;
    },
  },
  {
    title: '权限：互动卡片（整改、审批、预警卡片）',
    async run(dt) {
      const err = await attempt(() =>
        dt.cardUpdate({ outTrackId: `${NOBODY}-${randomUUID()}`, cardParamMap: { probe: '1' }, mergeByKey: true }),
      );
      return outcome(err, '互动卡片实例写权限', 'Card.Instance.Write');
    },
  },
  {
    // A card that needs no template (普通版, docs/cards.md) is sent and updated through im_1_0's
    // robot interactive-card APIs: an update of a cardBizId no one has (UpdateRobotInteractiveCard
    // {cardBizId, cardData}) reaches the API (400) only with the permission, and shows nothing to
    // anyone. Which permission DingTalk asks for these APIs is not published beside the models
    // (UNCONFIRMED): the advice names the robot's send permission and the card write permission.
    title: '权限：机器人互动卡片（无需模板的普通版卡片）',
    async run(dt) {
      const err = await attempt(() =>
        dt.robotCardUpdate({ cardBizId: `${NOBODY}-${randomUUID()}`, cardData: PROBE_CARD }),
      );
      const r = outcome(err, '企业内机器人发送消息权限', 'qyapi_robot_sendmsg');
      if (r.ok || !(err instanceof DingTalkApiError) || err.kind !== 'permission') return r;
      return {
        ...r,
        detail: `${r.detail ?? ''}：未配置模板的卡片（隐患、整改、审批、预警等）无法送达`,
        advice: `在${CONSOLE} → 开发配置 → 权限管理 中申请「企业内机器人发送消息权限」（权限码 qyapi_robot_sendmsg）与「互动卡片实例写权限」（权限码 Card.Instance.Write），审批通过后重新运行 npx leiguard doctor；或在卡片平台创建模板并写入 DINGTALK_CARD_TEMPLATES`,
      };
    },
  },
  {
    title: '权限：工作通知',
    async run(dt) {
      const err = await attempt(() => dt.workNoticeResult(1));
      if (err instanceof DingTalkApiError && err.dingCode === '40056')
        return {
          ok: false,
          detail: `AgentId 不正确：${err.dingMessage ?? ''}`,
          advice: `DINGTALK_AGENT_ID 应为本应用的 AgentId（${CONSOLE} → 凭证与基础信息）`,
        };
      return outcome(err, '企业内消息通知（工作通知）');
    },
  },
  {
    title: '权限：DING 消息（紧急事项）',
    async run(dt) {
      const err = await attempt(() => dt.dingSend({ userIds: [NOBODY], content: '雷卫接入自检', remindType: 1 }));
      return outcome(err, 'DING 消息发送');
    },
  },
  {
    title: '权限：按手机号查找成员（导入人员后匹配钉钉账号）',
    async run(dt) {
      const err = await attempt(() => dt.userByMobile('10000000000'));
      return outcome(err, '通讯录个人信息读权限 / 根据手机号获取成员');
    },
  },
  {
    title: '权限：部门列表（机构与钉钉部门同步）',
    async run(dt) {
      const err = await attempt(() => dt.departmentsUnder(1));
      return outcome(err, '通讯录部门信息读权限');
    },
  },
  {
    // An update of a task that does not exist, on a user no tenant has: reaches the API (400) only
    // with the write permission (docs/dingtalk-todo.md), and changes nobody's list.
    title: '权限：待办（钉钉待办同步）',
    async run(dt, { todoSync }) {
      if (!todoSync) return { ok: true, detail: '未启用（TODO_SYNC=false）' };
      const err = await attempt(() => dt.todoUpdate(`${NOBODY}-union`, `${NOBODY}-task`, { done: false }));
      return outcome(err, '待办应用中待办写权限', 'Todo.Todo.Write');
    },
  },
  {
    title: '权限：免登（小程序登录）',
    async run(dt) {
      const err = await attempt(() => dt.userByAuthCode(`${NOBODY}-${randomUUID().slice(0, 8)}`));
      return outcome(err, '成员信息读权限（免登获取用户信息）');
    },
  },
];

/**
 * Each card template the notices use exists and is published in the tenant: a card created for an
 * unknown user (delivered nowhere) with that template; DingTalk checks the template id first.
 */
export async function probeTemplate(dt: DingTalkClient, templateId: string): Promise<CheckResult> {
  const err = await attempt(() =>
    dt.cardCreateAndDeliver({
      cardTemplateId: templateId,
      outTrackId: `${NOBODY}-${randomUUID()}`,
      cardParamMap: { probe: '1' },
      spaces: [{ type: 'IM_ROBOT', userId: NOBODY }],
    }),
  );
  if (err instanceof DingTalkApiError && /template/i.test(err.dingCode ?? ''))
    return {
      ok: false,
      detail: `模板不存在或未发布（${err.dingCode}）`,
      advice:
        '在钉钉卡片平台（open-dev.dingtalk.com → 卡片平台）按 templates/README.md 创建并发布该模板，把模板 ID 写入 DINGTALK_CARD_TEMPLATES',
    };
  return outcome(err, '互动卡片实例写权限', 'Card.Instance.Write');
}

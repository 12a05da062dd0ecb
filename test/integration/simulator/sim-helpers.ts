// Shared set-up for the simulator tests: a simulator with a small tenant, the official SDK
// clients pointed at it, and a dingtalk-stream client subclassed to use it.
import * as $OpenApi from '@alicloud/openapi-client';
import Card from '@alicloud/dingtalk/dist/card_1_0/client';
import OAuth2, { GetAccessTokenRequest } from '@alicloud/dingtalk/dist/oauth2_1_0/client';
import Robot from '@alicloud/dingtalk/dist/robot_1_0/client';
import * as $Util from '@alicloud/tea-util';
import { DWClient } from 'dingtalk-stream';
import { startSimulator, type Simulator, type SimulatorOptions } from '../../../simulator';

export const APP = {
  appKey: 'dingsimapp1',
  appSecret: 'sim-secret-1',
  corpId: 'dingcorp1',
  agentId: 3001,
  robotCode: 'dingsimapp1',
};
export const APP2 = {
  appKey: 'dingsimapp2',
  appSecret: 'sim-secret-2',
  corpId: 'dingcorp2',
  agentId: 3002,
  robotCode: 'dingsimapp2',
};

export const USERS = [
  { userId: 'u-zhang', name: '张伟', mobile: '13800000001', title: '安全员', deptIds: [10] },
  { userId: 'u-li', name: '李娜', mobile: '13800000002', title: '执法人员', deptIds: [20] },
  { userId: 'u-wang', name: '王强', mobile: '13800000003', deptIds: [10, 20] },
];
export const GROUP = { openConversationId: 'cidGroupSim01==', title: '防雷监管群', memberUserIds: ['u-zhang', 'u-li'] };

/** A layout per templates/cards/FORMAT.md with one callback button and one url button. */
export const LAYOUT = {
  templateId: 'leiguard.test.v1',
  variables: ['title', 'unitName', 'statusText', 'actionsVisible', 'hazardId', 'mine'],
  blocks: [
    { type: 'header', text: '${title}', color: 'red' },
    { type: 'fields', items: [{ label: '单位', value: '${unitName}' }] },
    { type: 'markdown', text: '**隐患**：${detail}' },
    { type: 'note', text: '${statusText}', visibleIf: 'statusVisible' },
    { type: 'note', text: '我的备注：${mine}' },
    {
      type: 'actions',
      visibleIf: 'actionsVisible',
      buttons: [
        { text: '已知悉', style: 'primary', action: 'callback', actionId: 'ack', params: { hazardId: '${hazardId}' } },
        { text: '查看详情', style: 'normal', action: 'url', url: 'https://example.com/h/${hazardId}' },
      ],
    },
  ],
};

/** JSON request against the simulator. */
export async function http<T = Record<string, unknown>>(
  sim: Simulator,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: T }> {
  const res = await fetch(sim.url + path, {
    method,
    headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : {}) as T };
}

/** Starts a simulator with APP (and APP2), the users, the group and the test template. */
export async function startTestSim(extra: Partial<SimulatorOptions> = {}): Promise<Simulator> {
  const sim = await startSimulator({ apps: [APP, APP2], ...extra });
  await http(sim, 'POST', '/__sim/users', { users: USERS });
  await http(sim, 'POST', '/__sim/users', { users: [{ userId: 'u-other', name: '外单位', appKey: APP2.appKey }] });
  await http(sim, 'POST', '/__sim/groups', GROUP);
  const t = await http(sim, 'POST', '/__sim/card-templates', { templateId: LAYOUT.templateId, layout: LAYOUT });
  if (t.status !== 200) throw new Error(`template registration failed: ${JSON.stringify(t.body)}`);
  return sim;
}

/** Official SDK clients, configured exactly as the product does. */
export function sdk(sim: Simulator): { robot: Robot; card: Card; oauth2: OAuth2 } {
  const config = () => new $OpenApi.Config({ protocol: 'http', endpoint: `127.0.0.1:${sim.port}` });
  return { robot: new Robot(config()), card: new Card(config()), oauth2: new OAuth2(config()) };
}

/** SDK runtime options (no retry, like the product). */
export function rt(): $Util.RuntimeOptions {
  return new $Util.RuntimeOptions({ autoretry: false });
}

/** Token for an app through the new oauth2 API (official SDK). */
export async function apiToken(sim: Simulator, app = APP): Promise<string> {
  const { oauth2 } = sdk(sim);
  const res = await oauth2.getAccessToken(new GetAccessTokenRequest({ appKey: app.appKey, appSecret: app.appSecret }));
  return res.body!.accessToken!;
}

/** The error the SDK throws, with the fields tests look at. */
export interface SdkError {
  code: string;
  message: string;
  data: { statusCode: number; code: string; message: string; requestid: string };
}

/** Runs an SDK call expected to fail and returns its error. */
export async function sdkFails(p: Promise<unknown>): Promise<SdkError> {
  try {
    await p;
  } catch (err) {
    return err as SdkError;
  }
  throw new Error('expected the SDK call to fail');
}

/**
 * dingtalk-stream's DWClient with its two hard-coded DingTalk URLs replaced by the simulator,
 * and its own subscriptions array (the SDK shares one module-level array between clients).
 */
export class SimDWClient extends DWClient {
  constructor(
    private readonly base: string,
    opts: { clientId: string; clientSecret: string; keepAlive?: boolean },
  ) {
    super({ ...opts, subscriptions: [{ type: 'EVENT', topic: '*' }] } as ConstructorParameters<typeof DWClient>[0]);
  }

  override async getAccessToken(): Promise<string> {
    const res = await fetch(
      `${this.base}/gettoken?appkey=${this.config.clientId}&appsecret=${this.config.clientSecret}`,
    );
    const data = (await res.json()) as { access_token?: string };
    if (!data.access_token) throw new Error('getAccessToken: get access_token failed');
    this.config.access_token = data.access_token;
    return data.access_token;
  }

  override async getEndpoint(): Promise<this> {
    const res = await fetch(`${this.base}/v1.0/gateway/connections/open`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({
        clientId: this.config.clientId,
        clientSecret: this.config.clientSecret,
        ua: this.config.ua,
        subscriptions: this.config.subscriptions,
      }),
    });
    const data = (await res.json()) as { endpoint?: string; ticket?: string };
    if (!data.endpoint || !data.ticket) throw new Error('endpoint or ticket is null');
    (this as unknown as { dw_url: string }).dw_url = `${data.endpoint}?ticket=${data.ticket}`;
    return this;
  }
}

export { waitFor } from '../../helpers/wait';

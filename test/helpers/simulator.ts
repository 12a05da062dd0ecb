// The local DingTalk for tests: started on a free port with one demo app, plus a Config whose
// DINGTALK_API_BASE / DINGTALK_OAPI_BASE point at it, and typed calls to its test API (/__sim/).
import { loadConfig, type Config } from '../../core/config';
import { startSimulator, type Simulator, type SimulatorApp, type SimulatorOptions } from '../../simulator';

/** The demo app every test simulator knows. */
export const DEMO_APP: SimulatorApp = {
  appKey: 'dingleiguardtest',
  appSecret: 'leiguard-test-secret-0123456789abcdef',
  corpId: 'dingcorp0leiguard',
  agentId: 3001001,
  robotCode: 'dingleiguardtest',
};

/** A running simulator with helpers. */
export interface TestSimulator {
  sim: Simulator;
  url: string;
  app: SimulatorApp;
  /** Config pointing at the simulator (SIMULATOR=false: the product treats it as DingTalk). */
  config: Config;
  /** Calls the test API; throws on a non-2xx answer. */
  call<T = Record<string, unknown>>(
    method: 'GET' | 'POST' | 'PUT' | 'DELETE',
    path: string,
    body?: unknown,
  ): Promise<T>;
  invalidateTokens(): Promise<void>;
  advanceClock(ms: number): Promise<void>;
  setQuota(api: string, qps: number | null): Promise<void>;
  setStream(settings: Record<string, unknown>): Promise<void>;
  dropStream(): Promise<number>;
  addUsers(users: Array<{ userId: string; name: string; mobile?: string }>): Promise<void>;
  addCardTemplate(templateId: string, layout: Record<string, unknown>): Promise<void>;
  click(
    outTrackId: string,
    userId: string,
    actionId: string,
    inputs?: Record<string, string>,
  ): Promise<{ acked: boolean; messageId?: string; response: unknown; error?: string; card: Record<string, unknown> }>;
  stats(): Promise<SimStats>;
  close(): Promise<void>;
}

/** Part of GET /__sim/stats the tests read. */
export interface SimStats {
  apis: Record<string, { calls: number; ok: number; errors: number; quotaErrors: number; perCardRefusals: number }>;
  totals: { calls: number; ok: number; errors: number; quotaErrors: number };
  stream: {
    connections: number;
    connectionsOpened: number;
    framesSent: number;
    framesAcked: number;
    duplicatesSent: number;
    dropped: number;
  };
}

/** Starts a simulator and a Config for it; `env` overrides config variables. */
export async function startTestSimulator(
  opts: { env?: Record<string, string>; simulator?: Partial<SimulatorOptions>; remoteUrl?: string } = {},
): Promise<TestSimulator> {
  // A simulator in another process (benchmarks: DingTalk is a separate system) is reached by URL
  // only; its in-memory state is then not available to the caller.
  const sim: Simulator = opts.remoteUrl
    ? {
        url: opts.remoteUrl,
        port: Number(new URL(opts.remoteUrl).port),
        close: async () => undefined,
        state: undefined as unknown as Simulator['state'],
      }
    : await startSimulator({ port: 0, apps: [DEMO_APP], ...opts.simulator });
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    SIMULATOR: 'false',
    DINGTALK_APP_KEY: DEMO_APP.appKey,
    DINGTALK_APP_SECRET: DEMO_APP.appSecret,
    DINGTALK_CORP_ID: DEMO_APP.corpId,
    DINGTALK_AGENT_ID: String(DEMO_APP.agentId),
    DINGTALK_ROBOT_CODE: DEMO_APP.robotCode,
    DINGTALK_API_BASE: sim.url,
    DINGTALK_OAPI_BASE: sim.url,
    ...opts.env,
  });
  const call = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const res = await fetch(`${sim.url}${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`simulator ${method} ${path} → ${res.status} ${text}`);
    return (text ? JSON.parse(text) : {}) as T;
  };
  return {
    sim,
    url: sim.url,
    app: DEMO_APP,
    config,
    call,
    invalidateTokens: async () => void (await call('POST', '/__sim/tokens/invalidate', {})),
    advanceClock: async (ms) => void (await call('POST', '/__sim/clock', { advanceMs: ms })),
    setQuota: async (api, qps) => void (await call('PUT', '/__sim/quotas', { api, qps })),
    setStream: async (settings) => void (await call('PUT', '/__sim/stream', settings)),
    dropStream: async () => (await call<{ dropped: number }>('POST', '/__sim/stream/drop', {})).dropped,
    addUsers: async (users) => void (await call('POST', '/__sim/users', { users })),
    addCardTemplate: async (templateId, layout) =>
      void (await call('POST', '/__sim/card-templates', { templateId, layout })),
    click: (outTrackId, userId, actionId, inputs) =>
      call('POST', `/__sim/cards/${encodeURIComponent(outTrackId)}/click`, { userId, actionId, inputs }),
    stats: () => call<SimStats>('GET', '/__sim/stats'),
    close: () => sim.close(),
  };
}

export { waitFor } from './wait';

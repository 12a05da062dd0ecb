// In-memory state of the simulated DingTalk tenant. Everything lives here so tests can look
// inside (`sim.state`) and `/__sim/reset` knows what to clear.
import type { HttpCallbackSettings } from './callbacks/settings';
import { EventEmitter } from 'node:events';
import { SimClock } from './clock';
import type { SimCard, SimCardCallbackRoute, SimCardTemplate } from './cards/card-types';
import type { ApiName } from './api-names';
import type { SimTodo } from './todos/todo';
import { defaultSettings, type SimSettings } from './settings';

export type { SimSettings } from './settings';

/** A simulated enterprise-internal app (one robot, one agent). */
export interface SimApp {
  appKey: string;
  appSecret: string;
  corpId: string;
  agentId: number;
  robotCode: string;
  /** Robot display name, shown in the UI and used for @-mentions. */
  name: string;
  /** Unified app id put into stream frame headers (`appId`). */
  unifiedAppId: string;
  /** batchSend userIds cap (DingTalk: 20 by default, up to 100 on request). */
  batchSendMaxUserIds: number;
  /** Events and robot messages over HTTP instead of the stream (PUT /__sim/apps/:appKey/callback). */
  callback?: HttpCallbackSettings;
  /**
   * What the tenant refuses this app (PUT /__sim/apps/:appKey/refusals): APIs whose permission was
   * not granted (or revoked) and card templates that do not exist for it.
   */
  refusals?: { apis: ApiName[]; templates: string[] };
  /**
   * The micro-app's home page (应用首页地址 in the developer console). Links to its origin opened
   * from the chat UI get a fresh 免登 authCode, as the DingTalk client's JSAPI would give the page.
   */
  homepageUrl?: string;
  /** People shown first in the chat UI's person picker, by group (e.g. the demo's people by role). */
  pinnedUsers?: Array<{ label: string; userIds: string[] }>;
}

/** A person in the simulated directory. */
export interface SimUser {
  userId: string;
  unionId: string;
  name: string;
  mobile?: string;
  title?: string;
  deptIds: number[];
  /** When set, the user exists only in this app's corp; otherwise in every corp. */
  appKey?: string;
}

/** A department of the simulated org (通讯录部门). Department 1 is the org's root. */
export interface SimDepartment {
  deptId: number;
  name: string;
  parentId: number;
}

/** A group chat (场景群 / 内部群) the robot is in. */
export interface SimGroup {
  openConversationId: string;
  title: string;
  memberUserIds: string[];
}

export type { CardHistoryEntry, CardSpace, SimCard, SimCardCallbackRoute, SimCardTemplate } from './cards/card-types';

/** Recipient of a delivered message. */
export type MessageTarget =
  | { userId: string }
  | { openConversationId: string }
  | { webhook: string; openConversationId?: string };

/** Anything shown in a conversation: robot sends, cards, work notices, DINGs, webhook posts, user chat. */
export interface SimMessage {
  seq: number;
  api: ApiName | 'chat.user';
  appKey?: string;
  to: MessageTarget;
  /** For `chat.user`: who typed it. */
  from?: string;
  msgKey?: string;
  msgtype?: string;
  content: unknown;
  processQueryKey?: string;
  taskId?: number;
  openDingId?: string;
  outTrackId?: string;
  at: number;
  readAt?: number;
  recalled?: boolean;
  /** When the copy was recalled (DING recall, work-notice recall). */
  recalledAt?: number;
  /** Later states of the same copy (a work notice's status bar updated in place), oldest first. */
  revisions?: Array<{ at: number; content: unknown }>;
}

/** An issued access token. */
export interface TokenRecord {
  token: string;
  appKey: string;
  expiresAt: number;
}

/** A custom group robot (自定义机器人) reachable at /robot/send. */
export interface WebhookRobot {
  accessToken: string;
  openConversationId?: string;
  name: string;
  secret?: string;
  keywords: string[];
  sentAt: number[];
  blockedUntil: number;
}

/** A sessionWebhook handed out with a robot message. */
export interface ChatSession {
  appKey: string;
  expiresAt: number;
  target: { userId: string } | { openConversationId: string };
}

/** One asyncsend_v2 task and what happened to each recipient. */
export interface WorkNoticeTask {
  taskId: number;
  appKey: string;
  invalid: string[];
  forbidden: Array<{ code: string; count: number; userid: string }>;
  delivered: Array<{ userId: string; seq: number }>;
  /** OA messages: the status bar as last set (at send or by status_bar/update). */
  statusBar?: { status_value: string; status_bg?: string };
}

/** Counters per API name. */
export interface ApiStats {
  calls: number;
  ok: number;
  errors: number;
  quotaErrors: number;
  injectedQuotaErrors: number;
  injected5xx: number;
  /** card.update refused by the per-card limit (settings.cardUpdatesPerCard); also in quotaErrors. */
  perCardRefusals: number;
}

/** Fault settings; unset fields fall back to the global entry. */
export interface FaultSpec {
  error5xxRate?: number;
  quotaErrorRate?: number;
  latencyMs?: number;
  /** Delay after the call took effect, before its answer (DingTalk slow to answer a create it made). */
  replyLatencyMs?: number;
}

/** Everything the simulator knows. */
export interface SimulatorState {
  clock: SimClock;
  apps: Map<string, SimApp>;
  users: Map<string, SimUser>;
  /** deptId -> department (the root, 1, is implicit). */
  departments: Map<number, SimDepartment>;
  groups: Map<string, SimGroup>;
  templates: Map<string, SimCardTemplate>;
  cards: Map<string, SimCard>;
  /** Card callback routes (POST /v1.0/card/callbacks/register), keyed `${appKey}:${callbackRouteKey}`. */
  cardCallbackRoutes: Map<string, SimCardCallbackRoute>;
  /** DingTalk to-dos (待办) by task id. */
  todos: Map<string, SimTodo>;
  messages: SimMessage[];
  seq: number;
  tokens: Map<string, TokenRecord>;
  tokenByApp: Map<string, string>;
  tokenTtlSeconds: number;
  authCodes: Map<string, { userId: string; expiresAt: number }>;
  sessions: Map<string, ChatSession>;
  webhookRobots: Map<string, WebhookRobot>;
  workNotices: Map<number, WorkNoticeTask>;
  /** userId -> deliveries of work notices (content hash + time), for the daily silent limits. */
  workNoticeLog: Map<string, Array<{ hash: string; at: number }>>;
  /** userId -> robot message times, for the optional per-user flow control. */
  robotUserLog: Map<string, number[]>;
  /** appKey -> work-notice deliveries in the last minute (time, people), for the per-minute cap. */
  workNoticeMinute: Map<string, Array<{ at: number; n: number }>>;
  /** openDingId -> the DING's message seqs, for recall. */
  dings: Map<string, { appKey: string; seqs: number[] }>;
  nextTaskId: number;
  quotas: { default: number; perApi: Map<string, number> };
  faults: { global: FaultSpec; perApi: Map<string, FaultSpec> };
  stats: Map<string, ApiStats>;
  settings: SimSettings;
  /** Emits 'change' with `{ kind, ... }` for the UI's live updates. */
  events: EventEmitter;
}

/** Creates empty state. */
export function createState(
  tokenTtlSeconds: number,
  defaultQps: number,
  quotas: Record<string, number>,
): SimulatorState {
  const events = new EventEmitter();
  events.setMaxListeners(0);
  return {
    clock: new SimClock(),
    apps: new Map(),
    users: new Map(),
    departments: new Map(),
    groups: new Map(),
    templates: new Map(),
    cards: new Map(),
    cardCallbackRoutes: new Map(),
    todos: new Map(),
    messages: [],
    seq: 0,
    tokens: new Map(),
    tokenByApp: new Map(),
    tokenTtlSeconds,
    authCodes: new Map(),
    sessions: new Map(),
    webhookRobots: new Map(),
    workNotices: new Map(),
    workNoticeLog: new Map(),
    robotUserLog: new Map(),
    workNoticeMinute: new Map(),
    dings: new Map(),
    nextTaskId: 100000,
    quotas: { default: defaultQps, perApi: new Map(Object.entries(quotas)) },
    faults: { global: {}, perApi: new Map() },
    stats: new Map(),
    settings: defaultSettings(),
    events,
  };
}

/** Stats entry for an API, created on first use. */
export function statsFor(state: SimulatorState, api: string): ApiStats {
  let s = state.stats.get(api);
  if (!s) {
    s = { calls: 0, ok: 0, errors: 0, quotaErrors: 0, injectedQuotaErrors: 0, injected5xx: 0, perCardRefusals: 0 };
    state.stats.set(api, s);
  }
  return s;
}

/** Appends a delivered message and tells the UI. */
export function recordMessage(state: SimulatorState, msg: Omit<SimMessage, 'seq' | 'at'>): SimMessage {
  const full: SimMessage = { ...msg, seq: ++state.seq, at: state.clock.now() };
  state.messages.push(full);
  state.events.emit('change', { kind: 'message', seq: full.seq });
  return full;
}

/** The message with sequence number `seq` (messages are kept in seq order), or undefined. */
export function messageBySeq(state: SimulatorState, seq: number): SimMessage | undefined {
  const ms = state.messages;
  let lo = 0;
  let hi = ms.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const s = ms[mid]!.seq;
    if (s === seq) return ms[mid];
    if (s < seq) lo = mid + 1;
    else hi = mid - 1;
  }
  return undefined;
}

/** Whether a user exists in the given app's corp. */
export function userVisibleTo(user: SimUser | undefined, appKey: string): user is SimUser {
  return !!user && (user.appKey === undefined || user.appKey === appKey);
}

/** Looks a user up by userId within an app's corp. */
export function findUser(state: SimulatorState, appKey: string, userId: string): SimUser | undefined {
  const u = state.users.get(userId);
  return userVisibleTo(u, appKey) ? u : undefined;
}

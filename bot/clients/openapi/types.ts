// Typed inputs and outputs of DingTalkClient. Field rules: docs/dingtalk-wire.md §3-§8.
import type { DingTalkApi } from '../api-names';
import type { DingTalkErrorKind } from '../errors';

/** Options every call accepts. */
export interface CallOptions {
  /** Aborts waiting for quota and (old-API calls) the HTTP request itself. */
  signal?: AbortSignal;
}

/** Reported after every DingTalk call (the mini-app turns it into Prometheus metrics). */
export interface DingTalkCallEvent {
  api: DingTalkApi;
  outcome: 'success' | DingTalkErrorKind;
  /** HTTP time only, without the wait for quota. */
  durationMs: number;
  dingCode?: string;
}

/** robot_1_0 message parameters: an object (stringified for DingTalk) or a JSON string. */
export type MsgParam = Record<string, unknown> | string;

/** Input of robotBatchSend: one robot message to up to DINGTALK_BATCH_MAX users. */
export interface RobotBatchSendInput {
  userIds: string[];
  /** e.g. `sampleMarkdown`, `sampleActionCard`. */
  msgKey: string;
  msgParam: MsgParam;
}

/** Result of robotBatchSend. */
export interface RobotBatchSendResult {
  processQueryKey: string;
  /** userIds DingTalk does not know. */
  invalidStaffIds: string[];
  /** userIds DingTalk throttled (not sent; retry them later). */
  flowControlledStaffIds: string[];
}

/** Input of robotGroupSend. */
export interface RobotGroupSendInput {
  openConversationId: string;
  msgKey: string;
  msgParam: MsgParam;
  coolAppCode?: string;
}

/** Read state of one robot message per user. */
export interface RobotReadStatus {
  sendStatus?: string;
  readInfo: Array<{ userId: string; name?: string; readStatus: string; readTimestamp?: number }>;
}

/** Result of robotRecall. */
export interface RobotRecallResult {
  recalled: string[];
  /** processQueryKey → DingTalk's reason. */
  failed: Record<string, string>;
}

/** Where a card is delivered. */
export type CardSpace =
  /** 1:1 chat between the user and the app's robot. */
  | { type: 'IM_ROBOT'; userId: string }
  /** A group chat the robot is in. */
  | { type: 'IM_GROUP'; openConversationId: string; atUserIds?: Record<string, string>; recipients?: string[] };

/** card parameters: strings only (DingTalk rule); stringify numbers, booleans and JSON yourself. */
export type CardParamMap = Record<string, string>;

/** Input of cardCreateAndDeliver. */
export interface CardCreateInput {
  cardTemplateId: string;
  /** Our id for the card instance (idempotency; later updates and callbacks use it). */
  outTrackId: string;
  cardParamMap: CardParamMap;
  /** userId → that user's private card parameters. */
  privateData?: Record<string, CardParamMap>;
  /** One or several spaces; or give `openSpaceId` verbatim. */
  spaces?: CardSpace[];
  openSpaceId?: string;
  /** Callbacks over the stream connection (default) or HTTP. */
  callbackType?: 'STREAM' | 'HTTP';
  callbackRouteKey?: string;
  /** Chat-list preview text (Chinese). */
  lastMessage?: string;
  supportForward?: boolean;
}

/** Delivery outcome per space. */
export interface CardDeliverResult {
  spaceType?: string;
  spaceId?: string;
  success: boolean;
  /** processQueryKey of the IM message carrying the card. */
  carrierId?: string;
  errorMsg?: string;
}

/** Result of cardCreateAndDeliver. */
export interface CardCreateResult {
  outTrackId: string;
  deliverResults: CardDeliverResult[];
}

/** Input of cardUpdate. */
export interface CardUpdateInput {
  outTrackId: string;
  cardParamMap?: CardParamMap;
  privateData?: Record<string, CardParamMap>;
  /** true: merge the given keys; false: replace the whole maps (DingTalk's default). */
  mergeByKey: boolean;
}

/**
 * Input of robotCardSend: a robot interactive card 普通版 to one person's 1:1 robot chat
 * (im_1_0 SendRobotInteractiveCardRequest).
 */
export interface RobotCardSendInput {
  /** `cardBizId`: our id of the card (later updates and callbacks use it). */
  cardBizId: string;
  /** `cardTemplateId`: `StandardCard` for a card described as JSON in cardData. */
  cardTemplateId: string;
  /** `cardData`: the card JSON, stringified. */
  cardData: string;
  /** The recipient's userId (`singleChatReceiver` `{"userId"}`). */
  userId: string;
  /** `callbackUrl`: where request buttons call back (absent: the card has none). */
  callbackUrl?: string;
}

/** Input of robotCardUpdate (im_1_0 UpdateRobotInteractiveCardRequest). */
export interface RobotCardUpdateInput {
  cardBizId: string;
  /** The whole card JSON, stringified. */
  cardData: string;
}

/** A work-notice (工作通知) message body, snake_case as the old API wants it. */
export type WorkNoticeMsg =
  | { msgtype: 'text'; text: { content: string } }
  | { msgtype: 'markdown'; markdown: { title: string; text: string } }
  | { msgtype: 'link'; link: { messageUrl: string; picUrl: string; title: string; text: string } }
  | { msgtype: 'action_card'; action_card: Record<string, unknown> }
  | { msgtype: 'oa'; oa: Record<string, unknown> };

/** Input of workNoticeSend. */
export interface WorkNoticeSendInput {
  userIds: string[];
  msg: WorkNoticeMsg;
}

/** getsendresult of one work-notice task. */
export interface WorkNoticeResult {
  invalidUserIds: string[];
  forbiddenUserIds: string[];
  failedUserIds: string[];
  readUserIds: string[];
  unreadUserIds: string[];
  /** Silent drops with their code (143105 daily cap, 143106 duplicate...). */
  forbiddenList: Array<{ code: string; count?: number; userId: string }>;
}

/** Input of dingSend. */
export interface DingSendInput {
  userIds: string[];
  content: string;
  /** 1 in-app, 2 SMS, 3 phone call. */
  remindType: 1 | 2 | 3;
}

/** Result of dingSend. */
export interface DingSendResult {
  openDingId: string;
  /** reason → userIds. */
  failed: Record<string, string[]>;
}

/** Who an auth code (免登码) belongs to. */
export interface AuthCodeUser {
  userId: string;
  unionId?: string;
  name?: string;
  /** 1 admin, 2 sub-admin, 100 boss, 0 other. */
  sysLevel?: number;
}

/** A DingTalk user record (topapi/v2/user/get). */
/** A department of the org's contact tree (通讯录). */
export interface DingTalkDepartment {
  deptId: number;
  name: string;
  parentId: number;
}

/** A user's record (topapi/v2/user/get). */
export interface DingTalkUser {
  userId: string;
  unionId?: string;
  name: string;
  mobile?: string;
  title?: string;
  avatar?: string;
  deptIds: number[];
  managerUserId?: string;
  active?: boolean;
  admin?: boolean;
}

/** DingTalk to-do priorities: 10 较低, 20 普通, 30 紧急, 40 非常紧急. */
export type TodoPriority = 10 | 20 | 30 | 40;

/** Input of todoCreate (todo_1_0 CreateTodoTaskRequest). */
export interface TodoCreateInput {
  /** Our id for this to-do: DingTalk refuses a second create with it, and finds the task by it. */
  sourceId: string;
  /** ≤ 1024 characters. */
  subject: string;
  /** ≤ 4096 characters. */
  description?: string;
  /** Due time, ms since the epoch. */
  dueTime?: number;
  priority?: TodoPriority;
  /** Who must do it (unionIds). */
  executorUnionIds: string[];
  /** The page that does it, on phones and on PCs. */
  appUrl: string;
  pcUrl?: string;
}

/** Input of todoUpdate (todo_1_0 UpdateTodoTaskRequest; DingTalk has no priority here). */
export interface TodoUpdateInput {
  subject?: string;
  description?: string;
  dueTime?: number;
  done?: boolean;
  executorUnionIds?: string[];
}

/** A to-do as DingTalk returns it. */
export interface TodoTask {
  taskId: string;
  sourceId?: string;
  subject: string;
  done: boolean;
  dueTime?: number;
  priority?: number;
}

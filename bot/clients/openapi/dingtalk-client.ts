// DingTalk OpenAPI client: the official SDK for the new API (robot, card, oauth2), plain fetch
// for the old one (work notice, users, /gettoken). Every call waits for quota, carries a shared
// access token (refreshed once and retried once when DingTalk rejects it) and reports to onCall.
// The robot and DING calls are here; cards, to-dos, work notices and the directory each have a
// file of their own (card-calls.ts, todo-calls.ts, work-notice-calls.ts, directory-calls.ts).
import * as $Robot from '@alicloud/dingtalk/dist/robot_1_0/client';
import { ConfigError } from '../../../core/errors/config-error';
import type { CallRunner } from './call-runner';
import { CardCalls } from './card-calls';
import { createSdkClients, type SdkClients } from './sdk';
import * as map from './oapi-mappers';
import { callRunnerOf, type DingTalkClientOptions } from './client-options';
import { DirectoryCalls } from './directory-calls';
import { TodoCalls } from './todo-calls';
import { WorkNoticeCalls } from './work-notice-calls';
import type * as T from './types';

export type { DingTalkClientConfig, DingTalkClientOptions } from './client-options';

const list = map.list;
const param = (p: T.MsgParam): string => (typeof p === 'string' ? p : JSON.stringify(p));

/** Typed client of the DingTalk calls LeiGuard makes, for one app. */
export class DingTalkClient {
  readonly appKey: string;
  readonly robotCode: string;
  private readonly sdk: SdkClients;
  private readonly run: CallRunner;
  /** The to-do calls (todo_1_0), in todo-calls.ts. */
  readonly todos: TodoCalls;
  /** Interactive cards (card_1_0) and robot interactive cards (im_1_0), in card-calls.ts. */
  readonly cards: CardCalls;
  /** Work notices (工作通知, the old API), in work-notice-calls.ts. */
  readonly workNotices: WorkNoticeCalls;
  /** The org's people and departments (the old API), in directory-calls.ts. */
  readonly directory: DirectoryCalls;

  constructor(opts: DingTalkClientOptions) {
    const c = opts.config;
    if (!c.appKey || !c.appSecret) {
      throw new ConfigError([{ variable: 'DINGTALK_APP_KEY', message: '钉钉客户端需要 AppKey 与 AppSecret' }]);
    }
    this.appKey = c.appKey;
    this.robotCode = c.robotCode ?? c.appKey; // DingTalk: internal robot code = AppKey
    const timeoutMs = opts.timeoutMs ?? 10_000;
    this.sdk = createSdkClients(c.apiBase, timeoutMs);
    this.run = callRunnerOf(opts, { appKey: c.appKey, appSecret: c.appSecret }, this.sdk, timeoutMs);
    this.todos = new TodoCalls(this.run, this.sdk);
    this.cards = new CardCalls(this.run, this.sdk, this.robotCode);
    this.workNotices = new WorkNoticeCalls(this.run, c.agentId);
    this.directory = new DirectoryCalls(this.run);
  }

  todoCreate(unionId: string, input: T.TodoCreateInput, opts?: T.CallOptions): Promise<T.TodoTask> {
    return this.todos.create(unionId, input, opts);
  }

  todoUpdate(unionId: string, taskId: string, input: T.TodoUpdateInput, opts?: T.CallOptions): Promise<void> {
    return this.todos.update(unionId, taskId, input, opts);
  }

  todoDelete(unionId: string, taskId: string, opts?: T.CallOptions): Promise<void> {
    return this.todos.delete(unionId, taskId, opts);
  }

  todoBySourceId(unionId: string, sourceId: string, opts?: T.CallOptions): Promise<T.TodoTask> {
    return this.todos.bySourceId(unionId, sourceId, opts);
  }

  todoList(unionId: string, done: boolean, opts?: T.CallOptions): Promise<T.TodoTask[]> {
    return this.todos.list(unionId, done, opts);
  }

  /** The app's access token (cached; shared by all processes). */
  getAccessToken(): Promise<string> {
    return this.run.tokens.get();
  }

  /** Robot 1:1 message to several users (robot_1_0 BatchSendOTO). */
  async robotBatchSend(input: T.RobotBatchSendInput, opts?: T.CallOptions): Promise<T.RobotBatchSendResult> {
    const body = await this.run.api('robot.batchSend', opts, (token) =>
      this.sdk.robot.batchSendOTOWithOptions(
        new $Robot.BatchSendOTORequest({
          robotCode: this.robotCode,
          userIds: input.userIds,
          msgKey: input.msgKey,
          msgParam: param(input.msgParam),
        }),
        new $Robot.BatchSendOTOHeaders({ xAcsDingtalkAccessToken: token }),
        this.sdk.runtime(),
      ),
    );
    return {
      processQueryKey: String(body?.processQueryKey ?? ''),
      invalidStaffIds: list(body?.invalidStaffIdList),
      flowControlledStaffIds: list(body?.flowControlledStaffIdList),
    };
  }

  /** Robot message to a group (robot_1_0 OrgGroupSend). */
  async robotGroupSend(input: T.RobotGroupSendInput, opts?: T.CallOptions): Promise<{ processQueryKey: string }> {
    const body = await this.run.api('robot.groupSend', opts, (token) =>
      this.sdk.robot.orgGroupSendWithOptions(
        new $Robot.OrgGroupSendRequest({
          robotCode: this.robotCode,
          openConversationId: input.openConversationId,
          msgKey: input.msgKey,
          msgParam: param(input.msgParam),
          coolAppCode: input.coolAppCode,
        }),
        new $Robot.OrgGroupSendHeaders({ xAcsDingtalkAccessToken: token }),
        this.sdk.runtime(),
      ),
    );
    return { processQueryKey: String(body?.processQueryKey ?? '') };
  }

  /** Who has read a 1:1 robot message. */
  async robotReadStatus(processQueryKey: string, opts?: T.CallOptions): Promise<T.RobotReadStatus> {
    const body = await this.run.api('robot.readStatus', opts, (token) =>
      this.sdk.robot.batchOTOQueryWithOptions(
        new $Robot.BatchOTOQueryRequest({ robotCode: this.robotCode, processQueryKey }),
        new $Robot.BatchOTOQueryHeaders({ xAcsDingtalkAccessToken: token }),
        this.sdk.runtime(),
      ),
    );
    return {
      sendStatus: body?.sendStatus,
      readInfo: (body?.messageReadInfoList ?? []).map((r) => ({
        userId: String(r.userId ?? ''),
        name: r.name,
        readStatus: String(r.readStatus ?? ''),
        readTimestamp: r.readTimestamp,
      })),
    };
  }

  /** Recalls 1:1 robot messages. */
  async robotRecall(processQueryKeys: string[], opts?: T.CallOptions): Promise<T.RobotRecallResult> {
    const body = await this.run.api('robot.batchRecall', opts, (token) =>
      this.sdk.robot.batchRecallOTOWithOptions(
        new $Robot.BatchRecallOTORequest({ robotCode: this.robotCode, processQueryKeys }),
        new $Robot.BatchRecallOTOHeaders({ xAcsDingtalkAccessToken: token }),
        this.sdk.runtime(),
      ),
    );
    return { recalled: list(body?.successResult), failed: { ...(body?.failedResult ?? {}) } };
  }

  /** Creates an interactive card and delivers it (card_1_0 CreateAndDeliver). */
  cardCreateAndDeliver(input: T.CardCreateInput, opts?: T.CallOptions): Promise<T.CardCreateResult> {
    return this.cards.createAndDeliver(input, opts);
  }

  /** Updates a card's public and/or private data, merging by key or replacing. */
  cardUpdate(input: T.CardUpdateInput, opts?: T.CallOptions): Promise<void> {
    return this.cards.update(input, opts);
  }

  /** Sends a robot interactive card 普通版 to a person's 1:1 robot chat (card-calls.ts). */
  robotCardSend(input: T.RobotCardSendInput, opts?: T.CallOptions): Promise<{ processQueryKey?: string }> {
    return this.cards.robotCardSend(input, opts);
  }

  /** Replaces a robot interactive card's JSON (card-calls.ts). */
  robotCardUpdate(input: T.RobotCardUpdateInput, opts?: T.CallOptions): Promise<void> {
    return this.cards.robotCardUpdate(input, opts);
  }

  /** Work notice (工作通知) to users; returns DingTalk's task_id. */
  workNoticeSend(input: T.WorkNoticeSendInput, opts?: T.CallOptions): Promise<{ taskId: number }> {
    return this.workNotices.send(input, opts);
  }

  /** Delivery result of a work-notice task (including silent drops). */
  workNoticeResult(taskId: number, opts?: T.CallOptions): Promise<T.WorkNoticeResult> {
    return this.workNotices.result(taskId, opts);
  }

  /** Changes the status bar of every copy of an OA work notice sent by one task (work-notice-calls.ts). */
  workNoticeUpdateStatusBar(
    input: { taskId: number; statusValue: string; statusBg?: string },
    opts?: T.CallOptions,
  ): Promise<void> {
    return this.workNotices.updateStatusBar(input, opts);
  }

  /**
   * Recalls a DING from everyone it reached (robot_1_0 RobotRecallDing {robotCode, openDingId},
   * docs/warning-broadcast.md [D2]).
   */
  async dingRecall(openDingId: string, opts?: T.CallOptions): Promise<void> {
    await this.run.api('ding.recall', opts, (token) =>
      this.sdk.robot.robotRecallDingWithOptions(
        new $Robot.RobotRecallDingRequest({ robotCode: this.robotCode, openDingId }),
        new $Robot.RobotRecallDingHeaders({ xAcsDingtalkAccessToken: token }),
        this.sdk.runtime(),
      ),
    );
  }

  /** DING (in-app, SMS or phone) through the robot. */
  async dingSend(input: T.DingSendInput, opts?: T.CallOptions): Promise<T.DingSendResult> {
    const body = await this.run.api('ding.send', opts, (token) =>
      this.sdk.robot.robotSendDingWithOptions(
        new $Robot.RobotSendDingRequest({
          robotCode: this.robotCode,
          receiverUserIdList: input.userIds,
          content: input.content,
          remindType: input.remindType,
        }),
        new $Robot.RobotSendDingHeaders({ xAcsDingtalkAccessToken: token }),
        this.sdk.runtime(),
      ),
    );
    const failed: Record<string, string[]> = {};
    for (const [reason, ids] of Object.entries(body?.failedList ?? {})) failed[reason] = list(ids);
    return { openDingId: String(body?.openDingId ?? ''), failed };
  }

  /** The user behind a front-end auth code (免登码; single use, 5 minutes). */
  userByAuthCode(code: string, opts?: T.CallOptions): Promise<T.AuthCodeUser> {
    return this.directory.userByAuthCode(code, opts);
  }

  /** A user's record (name, mobile, departments...). */
  userGet(userId: string, opts?: T.CallOptions): Promise<T.DingTalkUser> {
    return this.directory.userGet(userId, opts);
  }

  /** The userId of a mobile number, or null when nobody in the org has it (60121). */
  userByMobile(mobile: string, opts?: T.CallOptions): Promise<string | null> {
    return this.directory.userByMobile(mobile, opts);
  }

  /** The direct sub-departments of a department (1 = the org's root). */
  departmentsUnder(deptId: number, opts?: T.CallOptions): Promise<T.DingTalkDepartment[]> {
    return this.directory.departmentsUnder(deptId, opts);
  }

  /** The userIds of a department's direct members. */
  userIdsInDepartment(deptId: number, opts?: T.CallOptions): Promise<string[]> {
    return this.directory.userIdsInDepartment(deptId, opts);
  }
}

// DingTalk OpenAPI client: the official SDK for the new API (robot, card, oauth2), plain fetch
// for the old one (work notice, users, /gettoken). Every call waits for quota, carries a shared
// access token (refreshed once and retried once when DingTalk rejects it) and reports to onCall.
import * as $Card from '@alicloud/dingtalk/dist/card_1_0/client';
import * as $Im from '@alicloud/dingtalk/dist/im_1_0/client';
import * as $Robot from '@alicloud/dingtalk/dist/robot_1_0/client';
import { ConfigError } from '../../../core/errors/config-error';
import { DingTalkApiError } from '../errors';
import type { CallRunner } from './call-runner';
import { cardCreateRequest } from './card-request';
import { createSdkClients, type SdkClients } from './sdk';
import * as map from './oapi-mappers';
import { callRunnerOf, type DingTalkClientOptions } from './client-options';
import { TodoCalls } from './todo-calls';
import type * as T from './types';

export type { DingTalkClientConfig, DingTalkClientOptions } from './client-options';

const list = map.list;
const param = (p: T.MsgParam): string => (typeof p === 'string' ? p : JSON.stringify(p));

/** Typed client of the DingTalk calls LeiGuard makes, for one app. */
export class DingTalkClient {
  readonly appKey: string;
  readonly robotCode: string;
  private readonly agentId?: number;
  private readonly sdk: SdkClients;
  private readonly run: CallRunner;
  /** The to-do calls (todo_1_0), in todo-calls.ts. */
  readonly todos: TodoCalls;

  constructor(opts: DingTalkClientOptions) {
    const c = opts.config;
    if (!c.appKey || !c.appSecret) {
      throw new ConfigError([{ variable: 'DINGTALK_APP_KEY', message: '钉钉客户端需要 AppKey 与 AppSecret' }]);
    }
    this.appKey = c.appKey;
    this.robotCode = c.robotCode ?? c.appKey; // DingTalk: internal robot code = AppKey
    this.agentId = c.agentId;
    const timeoutMs = opts.timeoutMs ?? 10_000;
    this.sdk = createSdkClients(c.apiBase, timeoutMs);
    this.run = callRunnerOf(opts, { appKey: c.appKey, appSecret: c.appSecret }, this.sdk, timeoutMs);
    this.todos = new TodoCalls(this.run, this.sdk);
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
  async cardCreateAndDeliver(input: T.CardCreateInput, opts?: T.CallOptions): Promise<T.CardCreateResult> {
    const body = await this.run.api('card.createAndDeliver', opts, (token) =>
      this.sdk.card.createAndDeliverWithOptions(
        cardCreateRequest(input, this.robotCode),
        new $Card.CreateAndDeliverHeaders({ xAcsDingtalkAccessToken: token }),
        this.sdk.runtime(),
      ),
    );
    return {
      outTrackId: body?.result?.outTrackId ?? input.outTrackId,
      deliverResults: (body?.result?.deliverResults ?? []).map((d) => ({
        spaceType: d.spaceType,
        spaceId: d.spaceId,
        success: d.success === true,
        carrierId: d.carrierId,
        errorMsg: d.errorMsg,
      })),
    };
  }

  /** Updates a card's public and/or private data, merging by key or replacing. */
  async cardUpdate(input: T.CardUpdateInput, opts?: T.CallOptions): Promise<void> {
    const privateData = input.privateData
      ? Object.fromEntries(
          Object.entries(input.privateData).map(([u, m]) => [u, new $Card.PrivateDataValue({ cardParamMap: m })]),
        )
      : undefined;
    await this.run.api('card.update', opts, (token) =>
      this.sdk.card.updateCardWithOptions(
        new $Card.UpdateCardRequest({
          outTrackId: input.outTrackId,
          cardData: input.cardParamMap
            ? new $Card.UpdateCardRequestCardData({ cardParamMap: input.cardParamMap })
            : undefined,
          privateData,
          cardUpdateOptions: new $Card.UpdateCardRequestCardUpdateOptions({
            updateCardDataByKey: input.mergeByKey,
            updatePrivateDataByKey: input.mergeByKey,
          }),
          userIdType: 1,
        }),
        new $Card.UpdateCardHeaders({ xAcsDingtalkAccessToken: token }),
        this.sdk.runtime(),
      ),
    );
  }

  /**
   * Sends a robot interactive card 普通版 to a person's 1:1 robot chat (im_1_0
   * SendRobotInteractiveCard, POST /v1.0/im/v1.0/robot/interactiveCards/send; the body chatbot.py
   * `reply_card` sends: cardTemplateId, robotCode, cardData, cardBizId, singleChatReceiver).
   */
  async robotCardSend(input: T.RobotCardSendInput, opts?: T.CallOptions): Promise<{ processQueryKey?: string }> {
    const body = await this.run.api('robot.interactiveCardSend', opts, (token) =>
      this.sdk.im.sendRobotInteractiveCardWithOptions(
        new $Im.SendRobotInteractiveCardRequest({
          cardTemplateId: input.cardTemplateId,
          cardBizId: input.cardBizId,
          cardData: input.cardData,
          robotCode: this.robotCode,
          singleChatReceiver: JSON.stringify({ userId: input.userId }),
          callbackUrl: input.callbackUrl,
        }),
        new $Im.SendRobotInteractiveCardHeaders({ xAcsDingtalkAccessToken: token }),
        this.sdk.runtime(),
      ),
    );
    return { processQueryKey: body?.processQueryKey };
  }

  /**
   * Replaces a robot interactive card's JSON (im_1_0 UpdateRobotInteractiveCard, PUT
   * /v1.0/im/robots/interactiveCards; chatbot.py `update_card` sends cardBizId and cardData).
   */
  async robotCardUpdate(input: T.RobotCardUpdateInput, opts?: T.CallOptions): Promise<void> {
    await this.run.api('robot.interactiveCardUpdate', opts, (token) =>
      this.sdk.im.updateRobotInteractiveCardWithOptions(
        new $Im.UpdateRobotInteractiveCardRequest({ cardBizId: input.cardBizId, cardData: input.cardData }),
        new $Im.UpdateRobotInteractiveCardHeaders({ xAcsDingtalkAccessToken: token }),
        this.sdk.runtime(),
      ),
    );
  }

  /** Work notice (工作通知) to users; returns DingTalk's task_id. */
  async workNoticeSend(input: T.WorkNoticeSendInput, opts?: T.CallOptions): Promise<{ taskId: number }> {
    const b = await this.run.oapi('workNotice.send', '/topapi/message/corpconversation/asyncsend_v2', opts, {
      agent_id: this.requireAgentId(),
      userid_list: input.userIds.join(','),
      msg: input.msg,
    });
    return { taskId: Number(b.task_id) };
  }

  /** Delivery result of a work-notice task (including silent drops). */
  async workNoticeResult(taskId: number, opts?: T.CallOptions): Promise<T.WorkNoticeResult> {
    const b = await this.run.oapi('workNotice.getSendResult', '/topapi/message/corpconversation/getsendresult', opts, {
      agent_id: this.requireAgentId(),
      task_id: taskId,
    });
    return map.workNoticeResult(b);
  }

  /**
   * Changes the status bar of every copy of an OA work notice sent by one task, in place (DingTalk
   * "更新工作通知状态栏": POST /topapi/message/corpconversation/status_bar/update with agent_id,
   * task_id, status_value, status_bg; OA notices of the last 24 hours only; docs/warning-broadcast.md [W2]).
   */
  async workNoticeUpdateStatusBar(
    input: { taskId: number; statusValue: string; statusBg?: string },
    opts?: T.CallOptions,
  ): Promise<void> {
    await this.run.oapi('workNotice.updateStatusBar', '/topapi/message/corpconversation/status_bar/update', opts, {
      agent_id: this.requireAgentId(),
      task_id: input.taskId,
      status_value: input.statusValue,
      ...(input.statusBg ? { status_bg: input.statusBg } : {}),
    });
  }

  /** Recalls a DING from everyone it reached (robot_1_0 RobotRecallDing {robotCode, openDingId}, docs/warning-broadcast.md [D2]). */
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
  async userByAuthCode(code: string, opts?: T.CallOptions): Promise<T.AuthCodeUser> {
    const b = await this.run.oapi('user.getUserInfo', '/topapi/v2/user/getuserinfo', opts, { code });
    return map.authCodeUser(b);
  }

  /** A user's record (name, mobile, departments...). */
  async userGet(userId: string, opts?: T.CallOptions): Promise<T.DingTalkUser> {
    const b = await this.run.oapi('user.get', '/topapi/v2/user/get', opts, { userid: userId, language: 'zh_CN' });
    return map.user(b);
  }

  /** The userId of a mobile number, or null when nobody in the org has it (60121). */
  async userByMobile(mobile: string, opts?: T.CallOptions): Promise<string | null> {
    try {
      const b = await this.run.oapi('user.getByMobile', '/topapi/v2/user/getbymobile', opts, { mobile });
      return String((b.result as Record<string, unknown> | undefined)?.userid);
    } catch (err) {
      if (err instanceof DingTalkApiError && err.dingCode === '60121') return null;
      throw err;
    }
  }

  /** The direct sub-departments of a department (1 = the org's root). */
  async departmentsUnder(deptId: number, opts?: T.CallOptions): Promise<T.DingTalkDepartment[]> {
    const b = await this.run.oapi('department.listSub', '/topapi/v2/department/listsub', opts, {
      dept_id: deptId,
      language: 'zh_CN',
    });
    return map.departments(b);
  }

  /** The userIds of a department's direct members. */
  async userIdsInDepartment(deptId: number, opts?: T.CallOptions): Promise<string[]> {
    const b = await this.run.oapi('user.listIdByDept', '/topapi/user/listid', opts, { dept_id: deptId });
    return map.userIds(b);
  }

  private requireAgentId(): number {
    if (!this.agentId)
      throw new ConfigError([{ variable: 'DINGTALK_AGENT_ID', message: '发送工作通知需要配置 AgentId' }]);
    return this.agentId;
  }
}

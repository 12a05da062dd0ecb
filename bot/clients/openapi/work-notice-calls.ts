// DingTalk work-notice calls (工作通知, the old API at oapi.dingtalk.com) of DingTalkClient, on the
// same quota, token and metrics as every other call (call-runner.ts). They need the app's AgentId.
import { ConfigError } from '../../../core/errors/config-error';
import type { CallRunner } from './call-runner';
import * as map from './oapi-mappers';
import type * as T from './types';

/** The work-notice calls of one app. */
export class WorkNoticeCalls {
  constructor(
    private readonly run: CallRunner,
    private readonly agentId: number | undefined,
  ) {}

  /** Work notice (工作通知) to users; returns DingTalk's task_id. */
  async send(input: T.WorkNoticeSendInput, opts?: T.CallOptions): Promise<{ taskId: number }> {
    const b = await this.run.oapi('workNotice.send', '/topapi/message/corpconversation/asyncsend_v2', opts, {
      agent_id: this.requireAgentId(),
      userid_list: input.userIds.join(','),
      msg: input.msg,
    });
    return { taskId: Number(b.task_id) };
  }

  /** Delivery result of a work-notice task (including silent drops). */
  async result(taskId: number, opts?: T.CallOptions): Promise<T.WorkNoticeResult> {
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
  async updateStatusBar(
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

  private requireAgentId(): number {
    if (!this.agentId)
      throw new ConfigError([{ variable: 'DINGTALK_AGENT_ID', message: '发送工作通知需要配置 AgentId' }]);
    return this.agentId;
  }
}

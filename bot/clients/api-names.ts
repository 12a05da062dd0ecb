// Stable names of the DingTalk calls we make. The quota limiter, the metrics hook and the
// simulator's quotas and stats all key on exactly these strings: never rename one.

/** Every DingTalk API LeiGuard calls, by stable name. */
export const DINGTALK_APIS = [
  'oauth2.accessToken',
  'gettoken',
  'robot.batchSend',
  'robot.groupSend',
  'robot.readStatus',
  'robot.batchRecall',
  'card.createAndDeliver',
  'card.update',
  'robot.interactiveCardSend',
  'robot.interactiveCardUpdate',
  'workNotice.send',
  'workNotice.getSendResult',
  'workNotice.updateStatusBar',
  'ding.send',
  'ding.recall',
  'user.getUserInfo',
  'user.get',
  'user.getByMobile',
  'department.listSub',
  'user.listIdByDept',
  'todo.create',
  'todo.update',
  'todo.delete',
  'todo.getBySourceId',
  'todo.list',
] as const;

/** One stable DingTalk API name, e.g. `robot.batchSend`. */
export type DingTalkApi = (typeof DINGTALK_APIS)[number];

/** Name used for calls outside the OpenAPI (custom robot webhook, stream gateway). */
export type DingTalkCallName = DingTalkApi | 'webhook.send' | 'webhook.session' | 'stream.open';

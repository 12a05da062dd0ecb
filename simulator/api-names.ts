// Stable API names used by quotas, faults and stats (`PUT /__sim/quotas {api}` etc.).

/** Every API the simulator serves, by stable name. */
export const API_NAMES = [
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
  'card.registerCallback',
  'workNotice.send',
  'workNotice.getSendResult',
  'workNotice.updateStatusBar',
  'ding.send',
  'ding.recall',
  'user.getUserInfo',
  'user.get',
  'user.getByMobile',
  'user.getByUnionId',
  'department.listSub',
  'user.listIdByDept',
  'todo.create',
  'todo.update',
  'todo.delete',
  'todo.get',
  'todo.getBySourceId',
  'todo.list',
  'webhook.send',
  'webhook.session',
  'gateway.connectionsOpen',
  'gov.workNotification',
] as const;

/** A stable API name. */
export type ApiName = (typeof API_NAMES)[number];

/** Whether a string is a known API name. */
export function isApiName(s: string): s is ApiName {
  return (API_NAMES as readonly string[]).includes(s);
}

// Public surface of bot/clients: everything that talks to DingTalk.
export { DINGTALK_APIS, type DingTalkApi, type DingTalkCallName } from './api-names';
export {
  DingTalkApiError,
  ERROR_TABLE,
  isPermanentDingTalkError,
  ruleFor,
  toDingTalkApiError,
  type DingTalkErrorKind,
  type ErrorRule,
} from './errors';
export { QuotaLimiter, quotaWindow, type QuotaLimiterOptions, type QuotaWindow } from './quota-limiter';
export { DingTalkClient, type DingTalkClientConfig, type DingTalkClientOptions } from './openapi/dingtalk-client';
export {
  startThreadedClient,
  type DingTalkCalls,
  type ThreadedDingTalkClient,
  type ThreadedClientOptions,
} from './openapi/threaded-client';
export { openSpaceId, robotSpace, groupSpace } from './openapi/card-request';
export {
  WebhookRobotClient,
  signedWebhookUrl,
  webhookSignature,
  type WebhookRobot,
  type WebhookBody,
} from './webhook-robot';
export { TokenCache, type TokenCacheOptions, type FetchedToken } from './openapi/token-cache';
export type * from './openapi/types';
export {
  StreamConnection,
  backoffDelay,
  type StreamConfig,
  type StreamConnectionOptions,
} from './stream/stream-connection';
export { ConfigurableDWClient, type ConfigurableDWClientOptions } from './stream/dw-client';
export { FrameDispatcher, ackFrame, DEFAULT_CARD_CONCURRENCY } from './stream/frame-dispatcher';
export { parseCardCallback } from './stream/card-callback';
export type * from './stream/types';
export { TOPIC_CARD_CALLBACK, TOPIC_ROBOT_MESSAGE } from './stream/types';

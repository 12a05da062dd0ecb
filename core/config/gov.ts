// Government DingTalk (专有钉钉 / 浙政钉). GOV_WORK_NOTICE deliveries need all of base URL, AppKey,
// AppSecret and tenant id. No official public document describes the gateway's signing and paths
// (README "Government DingTalk"), hence every one of them is a setting. Gateways:
// https://openplatform.dg-work.cn (专有钉钉), https://openplatform-pro.ding.zj.gov.cn (浙政钉).
import { z } from 'zod';
import { intBetween, url } from './shapes';
import { setting } from './setting';

/** Government DingTalk gateway settings. */
export const govSettings = {
  baseUrl: setting('GOV_DINGTALK_BASE_URL', url.optional()),
  appKey: setting('GOV_DINGTALK_APP_KEY', z.string().min(1).optional()),
  appSecret: setting('GOV_DINGTALK_APP_SECRET', z.string().min(1).optional()),
  tenantId: setting('GOV_DINGTALK_TENANT_ID', z.string().min(1).optional()),
  signVersion: setting('GOV_DINGTALK_SIGN_VERSION', z.string().min(1).default('1.0')),
  /** X-Hmac-Auth-IP / X-Hmac-Auth-MAC of this server, when the gateway wants them. */
  clientIp: setting('GOV_DINGTALK_CLIENT_IP', z.string().min(1).optional()),
  clientMac: setting('GOV_DINGTALK_CLIENT_MAC', z.string().min(1).optional()),
  tokenPath: setting('GOV_DINGTALK_TOKEN_PATH', z.string().startsWith('/').default('/gettoken.json')),
  workNotificationPath: setting(
    'GOV_DINGTALK_WORK_NOTIFICATION_PATH',
    z.string().startsWith('/').default('/message/workNotification'),
  ),
  /** Access-token parameter on business calls ('' = none, the signature alone authenticates). */
  tokenParam: setting('GOV_DINGTALK_TOKEN_PARAM', z.string().default('access_token')),
  batchMax: setting('GOV_DINGTALK_BATCH_MAX', intBetween(1, 1000).default(100)),
} as const;

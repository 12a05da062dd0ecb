// Builds the official @alicloud/dingtalk clients against the configured API base. The SDK makes
// its URL as `${protocol}://${host header = endpoint}${pathname}` (@alicloud/tea-typescript
// buildURL, @alicloud/gateway-dingtalk modifyRequest), so a base URL maps to protocol + host:port;
// a path prefix cannot be expressed and is rejected.
import * as $OpenApi from '@alicloud/openapi-client';
import Card from '@alicloud/dingtalk/dist/card_1_0/client';
import Im from '@alicloud/dingtalk/dist/im_1_0/client';
import OAuth2 from '@alicloud/dingtalk/dist/oauth2_1_0/client';
import Robot from '@alicloud/dingtalk/dist/robot_1_0/client';
import Todo from '@alicloud/dingtalk/dist/todo_1_0/client';
import * as $Util from '@alicloud/tea-util';
import { ConfigError } from '../../../core/errors/config-error';

/** The product clients we use. */
export interface SdkClients {
  robot: Robot;
  card: Card;
  /** im_1_0: the robot interactive card 普通版 (StandardCard). */
  im: Im;
  oauth2: OAuth2;
  todo: Todo;
  /** Per-call options (timeouts; the SDK's own retry stays off: our queue retries). */
  runtime(): $Util.RuntimeOptions;
}

/** `http://127.0.0.1:3100` → `{ protocol: 'http', endpoint: '127.0.0.1:3100' }`. */
export function sdkEndpoint(apiBase: string): { protocol: 'http' | 'https'; endpoint: string } {
  const url = new URL(apiBase);
  const protocol = url.protocol.replace(/:$/, '');
  if ((protocol !== 'http' && protocol !== 'https') || (url.pathname !== '/' && url.pathname !== '')) {
    throw new ConfigError([{ variable: 'DINGTALK_API_BASE', message: '必须是 http(s)://主机[:端口]，不能带路径' }]);
  }
  return { protocol, endpoint: url.host };
}

/** Creates the SDK clients for one API base. */
export function createSdkClients(apiBase: string, timeoutMs: number): SdkClients {
  const { protocol, endpoint } = sdkEndpoint(apiBase);
  const config = () => new $OpenApi.Config({ protocol, endpoint, readTimeout: timeoutMs, connectTimeout: timeoutMs });
  return {
    robot: new Robot(config()),
    card: new Card(config()),
    im: new Im(config()),
    oauth2: new OAuth2(config()),
    todo: new Todo(config()),
    runtime: () => new $Util.RuntimeOptions({ readTimeout: timeoutMs, connectTimeout: timeoutMs, autoretry: false }),
  };
}

// The two DingTalk error dialects plus the test API's own (see docs/dingtalk-wire.md §0, §10).

/** Which wire dialect a route speaks. */
export type Family = 'api' | 'oapi';

/** New-style (api.dingtalk.com) error: HTTP 4xx/5xx with `{code, message, requestid}`. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** Old-style (oapi.dingtalk.com) error: HTTP 200 with `{errcode, errmsg, ...}`. */
export class OapiError extends Error {
  constructor(
    readonly errcode: number,
    readonly errmsg: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(errmsg);
    this.name = 'OapiError';
  }
}

/** Test API (`/__sim/`) error: JSON `{error}` with a Chinese message. */
export class SimInputError extends Error {
  constructor(
    message: string,
    readonly status = 400,
  ) {
    super(message);
    this.name = 'SimInputError';
  }
}

/** Token missing/invalid, in the dialect of the family. */
export function authError(family: Family, missing: boolean): Error {
  if (family === 'api') {
    return missing
      ? new ApiError(400, 'AuthenticationFailed.MissingParameter', '缺少参数 x-acs-dingtalk-access-token')
      : new ApiError(400, 'InvalidAuthentication', '不合法的access_token');
  }
  const sub = missing ? '40000' : '40014';
  const subMsg = missing ? '缺少参数 access_token' : '不合法的access_token';
  return new OapiError(88, `ding talk error[subcode=${sub},submsg=${subMsg}]`, { sub_code: sub, sub_msg: subMsg });
}

/**
 * The app lacks the API's permission (not applied for, or revoked in the developer console): the
 * new API answers 403 Forbidden.AccessDenied.AccessTokenPermissionDenied, the old one errcode 60011
 * (docs/dingtalk-wire.md §10; the Chinese texts are the simulator's).
 */
export function permissionError(family: Family, api: string): Error {
  return family === 'api'
    ? new ApiError(403, 'Forbidden.AccessDenied.AccessTokenPermissionDenied', `没有调用该接口的权限：${api}`)
    : new OapiError(60011, `应用尚未开通所需的权限：${api}`);
}

/** App+API QPS limit hit (§10). */
export function quotaError(family: Family): Error {
  return family === 'api'
    ? new ApiError(403, 'Forbidden.AccessDenied.QpsLimitForAppkeyAndApi', '应用调用该接口的QPS超过限制，请稍后重试')
    : new OapiError(90018, '当前应用调用该接口的频率超过了限制，请稍后重试');
}

/** Injected server failure: HTTP 500 `system.busy` (api) or errcode -1 (oapi, which answers busy with 200). */
export function busyError(family: Family): Error {
  return family === 'api' ? new ApiError(500, 'system.busy', '系统繁忙，请稍后重试') : new OapiError(-1, '系统繁忙');
}

/** Malformed oapi parameter (errcode 40035 不合法的参数). */
export function oapiParamError(detail: string): OapiError {
  return new OapiError(40035, `不合法的参数：${detail}`);
}

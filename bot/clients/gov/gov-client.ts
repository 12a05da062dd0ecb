// Client of the government DingTalk gateway (专有钉钉 / 浙政钉): access token and work
// notifications, every request signed (gov-signing.ts). Parameters are form-encoded in the body,
// as the zwdd-sdk sends them. Paths and the token parameter are configuration because they are
// UNCONFIRMED (docs/dingtalk-wire.md §11). Calls go through the shared quota limiter.
import { AppError } from '../../../core/errors';
import type { QuotaLimiter } from '../quota-limiter';
import { signedHeaders, type GovSignOptions } from './gov-signing';

/** Configuration of the gateway. */
export interface GovClientOptions extends GovSignOptions {
  baseUrl: string;
  tenantId: string;
  tokenPath: string;
  workNotificationPath: string;
  /** Name of the access-token parameter on business calls; '' sends none. */
  tokenParam: string;
  limiter?: QuotaLimiter;
  timeoutMs?: number;
}

/** A failed gateway call; `retryable` follows the HTTP status (5xx, 429 and network errors retry). */
export class GovDingTalkError extends AppError {
  readonly retryable: boolean;
  readonly govCode?: string;
  constructor(
    api: string,
    opts: { httpStatus?: number; govCode?: string; govMessage?: string; retryable: boolean; cause?: unknown },
  ) {
    super(
      'GOV_DINGTALK_FAILED',
      `政务钉钉接口 ${api} 调用失败${opts.govCode ? `（${opts.govCode}）` : ''}${opts.govMessage ? `：${opts.govMessage}` : ''}`,
      {
        status: 502,
        cause: opts.cause,
        details: { api, httpStatus: opts.httpStatus, govCode: opts.govCode },
      },
    );
    this.retryable = opts.retryable;
    this.govCode = opts.govCode;
  }
}

/**
 * A refusal of the access token. The gateway's error codes are UNCONFIRMED (docs/dingtalk-wire.md
 * §11): any code that names the token counts (the simulator answers InvalidAccessToken).
 */
function isTokenRefusal(govCode: string | undefined): boolean {
  return /token/i.test(govCode ?? '');
}

interface GatewayAnswer {
  success?: boolean;
  content?: { success?: boolean; data?: unknown; responseCode?: string; responseMessage?: string };
  errorCode?: string;
  errorMsg?: string;
  errorMessage?: string;
}

/** The gateway client. */
export class GovDingTalkClient {
  private token?: { value: string; expiresAt: number };

  constructor(private readonly o: GovClientOptions) {}

  /** POSTs signed, form-encoded parameters; resolves with `content.data` of a successful answer. */
  async call(api: string, path: string, params: Record<string, string>): Promise<unknown> {
    await this.o.limiter?.acquire(api);
    const headers = signedHeaders(this.o, { method: 'POST', uri: path, params });
    let res: Response;
    try {
      res = await fetch(new URL(path, this.o.baseUrl), {
        method: 'POST',
        headers: {
          ...headers,
          'Content-Type': 'application/x-www-form-urlencoded; charset=UTF-8',
          Accept: 'application/json',
        },
        body: new URLSearchParams(params).toString(),
        signal: AbortSignal.timeout(this.o.timeoutMs ?? 10_000),
      });
    } catch (err) {
      throw new GovDingTalkError(api, { retryable: true, cause: err });
    }
    let body: GatewayAnswer;
    try {
      body = (await res.json()) as GatewayAnswer;
    } catch (err) {
      throw new GovDingTalkError(api, {
        httpStatus: res.status,
        retryable: res.status >= 500 || res.status === 429,
        cause: err,
      });
    }
    if (!res.ok || body.success !== true || body.content?.success === false) {
      throw new GovDingTalkError(api, {
        httpStatus: res.status,
        govCode: body.errorCode ?? body.content?.responseCode,
        govMessage: body.errorMsg ?? body.errorMessage ?? body.content?.responseMessage,
        retryable: res.status >= 500 || res.status === 429,
      });
    }
    return body.content?.data;
  }

  /** The access token, fetched with /gettoken.json and cached until 5 minutes before it expires. */
  async accessToken(): Promise<string> {
    if (this.token && this.token.expiresAt > Date.now()) return this.token.value;
    const data = (await this.call('gov.gettoken', this.o.tokenPath, {
      appkey: this.o.appKey,
      appsecret: this.o.appSecret,
    })) as { accessToken?: string; expiresIn?: number } | undefined;
    if (!data?.accessToken)
      throw new GovDingTalkError('gov.gettoken', { govMessage: '应答中没有 accessToken', retryable: true });
    this.token = {
      value: data.accessToken,
      expiresAt: Date.now() + Math.max(60, (data.expiresIn ?? 7200) - 300) * 1000,
    };
    return data.accessToken;
  }

  /**
   * Sends a work notification to accountIds; `bizMsgId` makes a retried call recognisable. A token
   * the gateway no longer accepts (revoked, gateway restarted) is dropped and fetched again, once.
   */
  async workNotification(input: { receiverIds: string[]; msg: unknown; bizMsgId: string }): Promise<void> {
    const params: Record<string, string> = {
      tenantId: this.o.tenantId,
      receiverIds: input.receiverIds.join(','),
      bizMsgId: input.bizMsgId,
      msg: JSON.stringify(input.msg),
    };
    const send = async () => {
      if (this.o.tokenParam) params[this.o.tokenParam] = await this.accessToken();
      await this.call('gov.workNotification', this.o.workNotificationPath, params);
    };
    try {
      await send();
    } catch (err) {
      if (!this.o.tokenParam || !(err instanceof GovDingTalkError) || !isTokenRefusal(err.govCode)) throw err;
      this.token = undefined;
      await send();
    }
  }
}

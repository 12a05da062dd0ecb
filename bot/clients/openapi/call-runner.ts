// How every DingTalk call runs: wait for quota, carry the shared access token, report to the
// metrics hook, normalise the error, and on a rejected token refresh once and retry once.
import * as $OAuth2 from '@alicloud/dingtalk/dist/oauth2_1_0/client';
import type { Redis } from 'ioredis';
import type { DingTalkApi } from '../api-names';
import { DingTalkApiError, toDingTalkApiError } from '../errors';
import { countMonthlyCall } from '../monthly-calls';
import { learnedQuotaRefusal } from '../quota-learning';
import type { QuotaLimiter } from '../quota-limiter';
import { joinUrl, oapiRequest } from './oapi';
import type { SdkClients } from './sdk';
import { TokenCache, type FetchedToken } from './token-cache';
import type { CallOptions, DingTalkCallEvent } from './types';

/** Options of a CallRunner. */
export interface CallRunnerOptions {
  appKey: string;
  appSecret: string;
  oapiBase: string;
  sdk: SdkClients;
  redis: Redis;
  /** Redis prefix already specific to the app. */
  keyPrefix: string;
  limiter: QuotaLimiter | null;
  onCall?: (event: DingTalkCallEvent) => void;
  tokenSource: 'oauth2' | 'gettoken';
  timeoutMs: number;
}

/** Runs DingTalk calls for one app. */
export class CallRunner {
  readonly tokens: TokenCache;
  private readonly o: CallRunnerOptions;

  constructor(opts: CallRunnerOptions) {
    this.o = opts;
    this.tokens = new TokenCache({ redis: opts.redis, keyPrefix: opts.keyPrefix, fetchToken: () => this.fetchToken() });
  }

  /** A new-API (SDK) call; resolves with the response body. */
  async api<B>(
    api: DingTalkApi,
    opts: CallOptions | undefined,
    fn: (token: string) => Promise<{ body?: B }>,
  ): Promise<B | undefined> {
    return (await this.withToken(api, opts, fn)).body;
  }

  /** An old-API POST with the token in the query; resolves with the (errcode 0) body. */
  oapi(api: DingTalkApi, path: string, opts: CallOptions | undefined, body: unknown): Promise<Record<string, unknown>> {
    return this.withToken(api, opts, (token) =>
      oapiRequest(api, joinUrl(this.o.oapiBase, path, { access_token: token }), {
        method: 'POST',
        body,
        signal: opts?.signal,
        timeoutMs: this.o.timeoutMs,
      }),
    );
  }

  private async withToken<R>(
    api: DingTalkApi,
    opts: CallOptions | undefined,
    fn: (token: string) => Promise<R>,
  ): Promise<R> {
    for (let attempt = 0; ; attempt++) {
      const token = await this.tokens.get();
      try {
        return await this.measured(api, opts?.signal, () => fn(token));
      } catch (err) {
        // Expired early or revoked (e.g. the app secret was reset): refresh once, retry once.
        if (attempt === 0 && err instanceof DingTalkApiError && err.tokenRejected) {
          await this.tokens.invalidate(token);
          continue;
        }
        throw err;
      }
    }
  }

  /**
   * Waits for quota, runs one HTTP call (the limiter records its completion, DingTalk counting
   * calls on arrival), reports it and normalises its error. A quota refusal the limiter learns
   * from is reported and the call goes again at its next slot (quota-limiter.ts), so it does not
   * fail the job that made it.
   */
  private async measured<R>(api: DingTalkApi, signal: AbortSignal | undefined, fn: () => Promise<R>): Promise<R> {
    const call = async () => {
      const started = performance.now();
      try {
        const r = await fn();
        this.o.onCall?.({ api, outcome: 'success', durationMs: performance.now() - started });
        countMonthlyCall(this.o.redis, this.o.keyPrefix, api);
        return r;
      } catch (e) {
        if (signal?.aborted && e === signal.reason) throw e;
        const err = toDingTalkApiError(api, e);
        this.o.onCall?.({ api, outcome: err.kind, durationMs: performance.now() - started, dingCode: err.dingCode });
        throw err;
      }
    };
    // Without a call made (aborted, or the limiter could not reach Redis) the error passes as it is.
    return this.o.limiter ? this.o.limiter.run(api, call, { signal, refusal: learnedQuotaRefusal }) : call();
  }

  private async fetchToken(): Promise<FetchedToken> {
    const { appKey, appSecret, timeoutMs } = this.o;
    if (this.o.tokenSource === 'gettoken') {
      const url = joinUrl(this.o.oapiBase, '/gettoken', { appkey: appKey, appsecret: appSecret });
      const b = await this.measured('gettoken', undefined, () =>
        oapiRequest('gettoken', url, { method: 'GET', timeoutMs }),
      );
      return { accessToken: String(b.access_token), expiresInS: Number(b.expires_in ?? 7200) };
    }
    const res = await this.measured('oauth2.accessToken', undefined, () =>
      this.o.sdk.oauth2.getAccessTokenWithOptions(
        new $OAuth2.GetAccessTokenRequest({ appKey, appSecret }),
        {},
        this.o.sdk.runtime(),
      ),
    );
    if (!res.body?.accessToken)
      throw DingTalkApiError.network('oauth2.accessToken', new Error('no accessToken in reply'), 502);
    return { accessToken: res.body.accessToken, expiresInS: Number(res.body.expireIn ?? 7200) };
  }
}

// The old API family (oapi.dingtalk.com): JSON over plain fetch, errors as HTTP 200 + errcode
// (docs/dingtalk-wire.md §0). The base URL comes from config (DINGTALK_OAPI_BASE).
import type { DingTalkCallName } from '../api-names';
import { DingTalkApiError } from '../errors';

/** Joins a configured base URL (with or without a trailing slash or path prefix) and a path. */
export function joinUrl(base: string, path: string, query: Record<string, string> = {}): string {
  const url = new URL(base.replace(/\/+$/, '') + path);
  for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
  return url.toString();
}

/** One old-API request; resolves with the body when errcode is 0, else throws DingTalkApiError. */
export async function oapiRequest(
  api: DingTalkCallName,
  url: string,
  init: { method: 'GET' | 'POST'; body?: unknown; signal?: AbortSignal; timeoutMs: number },
): Promise<Record<string, unknown>> {
  const timeout = AbortSignal.timeout(init.timeoutMs);
  const signal = init.signal ? AbortSignal.any([init.signal, timeout]) : timeout;
  let res: Response;
  let text: string;
  try {
    res = await fetch(url, {
      method: init.method,
      headers: {
        accept: 'application/json',
        ...(init.body === undefined ? {} : { 'content-type': 'application/json; charset=utf-8' }),
      },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
      signal,
    });
    text = await res.text();
  } catch (err) {
    if (init.signal?.aborted) throw init.signal.reason;
    throw DingTalkApiError.network(api, err);
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (err) {
    // An HTML error page (IP ban, proxy) or garbage: the server side failed us.
    throw DingTalkApiError.network(api, err, res.status === 200 ? 502 : res.status);
  }
  const b = (body ?? {}) as Record<string, unknown>;
  if (res.status !== 200 || (b.errcode !== undefined && Number(b.errcode) !== 0)) {
    throw DingTalkApiError.fromOapi(api, res.status, body);
  }
  return b;
}

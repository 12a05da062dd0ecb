// Messages between ThreadedDingTalkClient (main thread) and client-thread.ts, and how a failed
// call's error crosses the thread boundary intact (a DingTalkApiError keeps its kind, DingTalk's
// code and its retry rule: the pipeline decides on them).
import type { RedisTarget } from '../../../core/config/redis';
import { AppError } from '../../../core/errors/app-error';
import { DingTalkApiError } from '../errors';
import type { DingTalkClientConfig } from './dingtalk-client';
import type { DingTalkCallEvent } from './types';

/** workerData of the client thread. */
export interface ThreadInit {
  config: DingTalkClientConfig;
  redis: RedisTarget;
  keyPrefix?: string;
}

/** Main thread → client thread. */
export type ToThread =
  | { type: 'call'; id: number; method: string; args: unknown[]; withOptions: boolean }
  | { type: 'abort'; id: number }
  | { type: 'close' };

/** An error as it crosses the thread boundary. */
export type SerializedError =
  | {
      kind: 'dingtalk';
      init: ConstructorParameters<typeof DingTalkApiError>[0];
      rule: ConstructorParameters<typeof DingTalkApiError>[1];
    }
  | { kind: 'app'; code: string; message: string; status: number; details?: Record<string, unknown> }
  | { kind: 'aborted' }
  | { kind: 'other'; name: string; message: string; stack?: string };

/** Client thread → main thread. */
export type FromThread =
  | { type: 'ready' }
  | { type: 'event'; event: DingTalkCallEvent }
  | { type: 'result'; id: number; value?: unknown; error?: SerializedError };

/** Flattens an error for postMessage (`aborted`: the caller's signal fired). */
export function serializeCallError(err: unknown, aborted: boolean): SerializedError {
  if (err instanceof DingTalkApiError) {
    const { api, httpStatus, dingCode, dingSubCode, dingMessage, requestId } = err;
    return {
      kind: 'dingtalk',
      init: { api, httpStatus, dingCode, dingSubCode, dingMessage, requestId },
      rule: {
        kind: err.kind,
        retryable: err.retryable,
        retryAfterMs: err.retryAfterMs,
        tokenRejected: err.tokenRejected,
      },
    };
  }
  if (aborted) return { kind: 'aborted' };
  if (err instanceof AppError)
    return { kind: 'app', code: err.code, message: err.message, status: err.status, details: err.details };
  const e = err instanceof Error ? err : new Error(String(err));
  return { kind: 'other', name: e.name, message: e.message, stack: e.stack };
}

/** Rebuilds an error on the main thread; `abortReason` stands in for an aborted call. */
export function deserializeCallError(s: SerializedError, abortReason: unknown): unknown {
  switch (s.kind) {
    case 'dingtalk':
      return new DingTalkApiError(s.init, s.rule);
    case 'app':
      return new AppError(s.code, s.message, { status: s.status, details: s.details });
    case 'aborted':
      return abortReason ?? new Error('aborted');
    default: {
      const e = new Error(s.message);
      e.name = s.name;
      if (s.stack) e.stack = s.stack;
      return e;
    }
  }
}

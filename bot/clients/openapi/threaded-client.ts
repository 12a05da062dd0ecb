// DingTalkClient's methods, run in client-thread.ts (see there for why). Worker processes use it
// (DINGTALK_CLIENT_THREAD); the calls, their quota, token and errors are exactly those of
// DingTalkClient, which runs unchanged inside the thread.
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { RedisTarget } from '../../../core/config/redis';
import { DingTalkClient, type DingTalkClientConfig } from './dingtalk-client';
import { deserializeCallError, type FromThread, type ThreadInit, type ToThread } from './thread-protocol';
import type { CallOptions, DingTalkCallEvent } from './types';

/** The public face of a DingTalk client, in this thread or another. */
export type DingTalkCalls = { [K in keyof DingTalkClient]: DingTalkClient[K] };

/** Options of startThreadedClient. */
export interface ThreadedClientOptions {
  config: DingTalkClientConfig;
  redis: RedisTarget;
  keyPrefix?: string;
  onCall?: (event: DingTalkCallEvent) => void;
  /** Old-generation heap cap of the thread in MB (V8's default on a large machine is far more than it needs). */
  heapMb?: number;
}

interface Pending {
  resolve(v: unknown): void;
  reject(e: unknown): void;
  signal?: AbortSignal;
  onAbort?: () => void;
}

/** The API methods (every one takes `opts?: CallOptions` last, except getAccessToken). */
const METHODS = Object.getOwnPropertyNames(DingTalkClient.prototype).filter(
  (m) =>
    m !== 'constructor' && typeof (DingTalkClient.prototype as unknown as Record<string, unknown>)[m] === 'function',
);

/** A DingTalk client whose calls run in a worker thread; `close()` ends the thread. */
export type ThreadedDingTalkClient = DingTalkCalls & { close(): Promise<void> };

/** Starts the client thread; resolves once it is ready. */
export async function startThreadedClient(opts: ThreadedClientOptions): Promise<ThreadedDingTalkClient> {
  const init: ThreadInit = { config: pickConfig(opts.config), redis: opts.redis, keyPrefix: opts.keyPrefix };
  // The thread loads our TypeScript through tsx's require hook, whoever started the process
  // (`node --import tsx`, jest).
  const entry = path.join(__dirname, 'client-thread.ts');
  const boot = `require(${JSON.stringify(require.resolve('tsx/cjs/api'))}).register(); require(${JSON.stringify(entry)});`;
  const resourceLimits = opts.heapMb ? { maxOldGenerationSizeMb: opts.heapMb } : undefined;
  const worker = new Worker(boot, { eval: true, workerData: init, execArgv: [], resourceLimits });
  const pending = new Map<number, Pending>();
  let seq = 0;
  let closed: Promise<void> | undefined;
  const send = (m: ToThread) => worker.postMessage(m);

  await new Promise<void>((resolve, reject) => {
    const onError = (err: Error) => reject(err);
    const onExit = (code: number) => reject(new Error(`DingTalk client thread exited with ${code}`));
    worker.once('error', onError);
    worker.once('exit', onExit);
    worker.on('message', function ready(m: FromThread) {
      if (m.type !== 'ready') return;
      worker.off('message', ready);
      worker.off('error', onError);
      worker.off('exit', onExit);
      resolve();
    });
  });

  worker.on('message', (m: FromThread) => {
    if (m.type === 'event') {
      opts.onCall?.(m.event);
      return;
    }
    if (m.type !== 'result') return;
    const p = pending.get(m.id);
    if (!p) return;
    pending.delete(m.id);
    if (p.onAbort) p.signal?.removeEventListener('abort', p.onAbort);
    if (m.error) p.reject(deserializeCallError(m.error, p.signal?.reason));
    else p.resolve(m.value);
  });
  // The thread died (a bug, not a DingTalk failure): fail what is in flight; the queue retries.
  const failAll = (err: unknown) => {
    for (const p of pending.values()) p.reject(err);
    pending.clear();
  };
  worker.on('error', failAll);
  worker.on('exit', (code) => failAll(new Error(`DingTalk client thread exited with ${code}`)));

  const call = (method: string, args: unknown[], withOptions: boolean): Promise<unknown> => {
    if (closed) return Promise.reject(new Error('DingTalk client thread is closed'));
    const options = withOptions ? (args.pop() as CallOptions | undefined) : undefined;
    const signal = options?.signal;
    if (signal?.aborted) return Promise.reject(signal.reason);
    const id = ++seq;
    return new Promise((resolve, reject) => {
      const p: Pending = { resolve, reject, signal };
      if (signal) {
        p.onAbort = () => send({ type: 'abort', id });
        signal.addEventListener('abort', p.onAbort, { once: true });
      }
      pending.set(id, p);
      send({ type: 'call', id, method, args, withOptions });
    });
  };

  const client: Record<string, unknown> = {
    appKey: opts.config.appKey,
    robotCode: opts.config.robotCode ?? opts.config.appKey, // as DingTalkClient
    close: () =>
      (closed ??= new Promise<void>((resolve) => {
        worker.once('exit', () => resolve());
        send({ type: 'close' });
      })),
  };
  for (const m of METHODS) {
    const arity = (DingTalkClient.prototype as unknown as Record<string, (...a: unknown[]) => unknown>)[m].length;
    // Pad to the declared arity so the last argument is always the (optional) CallOptions.
    client[m] = (...args: unknown[]) => {
      const withOptions = arity > 0;
      const padded = withOptions ? Array.from({ length: arity }, (_, i) => args[i]) : args;
      return call(m, padded, withOptions);
    };
  }
  return client as unknown as ThreadedDingTalkClient;
}

/** The config fields DingTalkClient reads: plain data for workerData. */
const CONFIG_KEYS = [
  'appKey',
  'appSecret',
  'corpId',
  'agentId',
  'robotCode',
  'apiBase',
  'oapiBase',
  'qps',
  'qpsOverrides',
  'quotaSafety',
  'quotaMarginMs',
  'quotaBurst',
] as const satisfies ReadonlyArray<keyof DingTalkClientConfig>;

function pickConfig(c: DingTalkClientConfig): DingTalkClientConfig {
  return Object.fromEntries(CONFIG_KEYS.map((k) => [k, c[k]])) as unknown as DingTalkClientConfig;
}

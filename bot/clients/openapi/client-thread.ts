// The DingTalk client in a thread of its own (issue #3): the quota limiter, the HTTP calls and
// their completion records run on an event loop that does nothing else, so a busy main thread
// (database work, BullMQ, rendering) neither sends a call late after its slot nor notices its
// answer late. DingTalk counts a call when it arrives and the limiter records it when it returns;
// every millisecond between the two is quota lost. The main thread talks to it through
// ThreadedDingTalkClient (threaded-client.ts), with the same methods as DingTalkClient.
import { parentPort, workerData } from 'node:worker_threads';
import { createRedis } from '../../../core/config/redis';
import { DingTalkClient } from './dingtalk-client';
import { serializeCallError, type ThreadInit, type ToThread, type FromThread } from './thread-protocol';

const port = parentPort;
if (!port) throw new Error('client-thread.ts runs as a worker thread');
const init = workerData as ThreadInit;
const redis = createRedis(init.redis, { maxRetriesPerRequest: null });
const post = (m: FromThread) => port.postMessage(m);
const client = new DingTalkClient({
  config: init.config,
  redis,
  keyPrefix: init.keyPrefix,
  onCall: (event) => post({ type: 'event', event }),
});
const calls = client as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
const aborts = new Map<number, AbortController>();

port.on('message', (m: ToThread) => {
  if (m.type === 'abort') {
    aborts.get(m.id)?.abort(new Error('aborted'));
    return;
  }
  if (m.type === 'close') {
    for (const ac of aborts.values()) ac.abort(new Error('closing'));
    void redis.quit().finally(() => port.close());
    return;
  }
  const ac = new AbortController();
  aborts.set(m.id, ac);
  const args = m.withOptions ? [...m.args, { signal: ac.signal }] : m.args;
  Promise.resolve()
    .then(() => calls[m.method](...args))
    .then(
      (value) => post({ type: 'result', id: m.id, value }),
      (err: unknown) => post({ type: 'result', id: m.id, error: serializeCallError(err, ac.signal.aborted) }),
    )
    .finally(() => aborts.delete(m.id));
});

post({ type: 'ready' });

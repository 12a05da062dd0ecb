import { DWClient } from 'dingtalk-stream';
import { ConfigurableDWClient } from '../../../bot/clients/stream/dw-client';
import { backoffDelay } from '../../../bot/clients/stream/stream-connection';

const base = { clientId: 'k', clientSecret: 's', apiBase: 'http://127.0.0.1:1', oapiBase: 'http://127.0.0.1:1' };

describe('ConfigurableDWClient', () => {
  it('gives each client its own subscriptions (the SDK shares one module-level array)', () => {
    const a = new ConfigurableDWClient({
      ...base,
      subscriptions: [{ type: 'CALLBACK', topic: '/v1.0/card/instances/callback' }],
    });
    const b = new ConfigurableDWClient({ ...base, subscriptions: [{ type: 'EVENT', topic: '*' }] });
    a.registerCallbackListener('/v1.0/im/bot/messages/get', () => undefined);
    expect(a.getConfig().subscriptions.map((s) => s.topic)).toEqual([
      '/v1.0/card/instances/callback',
      '/v1.0/im/bot/messages/get',
    ]);
    expect(b.getConfig().subscriptions).toEqual([{ type: 'EVENT', topic: '*' }]);
    // A plain SDK client still sees the SDK default, untouched by ours.
    expect(new DWClient({ clientId: 'x', clientSecret: 'y' }).getConfig().subscriptions).toEqual([
      { type: 'EVENT', topic: '*' },
    ]);
  });

  it("turns the SDK's own reconnect and keep-alive off", () => {
    const c = new ConfigurableDWClient({ ...base, subscriptions: [{ type: 'EVENT', topic: '*' }] });
    expect(c.getConfig()).toMatchObject({ autoReconnect: false, keepAlive: false });
  });
});

describe('reconnect backoff', () => {
  const b = { initialMs: 500, maxMs: 30_000, jitter: 0.3 };
  it('retries at once, then doubles up to the cap', () => {
    const mid = () => 0.5;
    expect([0, 1, 2, 3, 4, 10].map((n) => backoffDelay(n, b, mid))).toEqual([0, 500, 1000, 2000, 4000, 30_000]);
  });
  it('spreads by ± jitter', () => {
    expect(backoffDelay(2, b, () => 0)).toBe(700);
    expect(backoffDelay(2, b, () => 1)).toBe(1300);
  });
});

// The app+API quota is a precise one-second sliding window of admitted calls.
import { webhookSign } from '../../../simulator';
import { admit } from '../../../simulator/http/gate';
import { createState } from '../../../simulator/state';

describe('sliding window', () => {
  let now = 0;
  beforeEach(() => {
    now = 10_000;
    jest.spyOn(performance, 'now').mockImplementation(() => now);
  });
  afterEach(() => jest.restoreAllMocks());

  test('admits qps calls per rolling second, per app and API', () => {
    const state = createState(7200, 3, {});
    expect([1, 2, 3, 4].map(() => admit(state, 'app1', 'robot.batchSend'))).toEqual([true, true, true, false]);
    expect(admit(state, 'app2', 'robot.batchSend')).toBe(true);
    expect(admit(state, 'app1', 'card.update')).toBe(true);
    now += 999;
    expect(admit(state, 'app1', 'robot.batchSend')).toBe(false);
    now += 1;
    expect(admit(state, 'app1', 'robot.batchSend')).toBe(true);
  });

  test('per-API quotas override the default', () => {
    const state = createState(7200, 20, { 'ding.send': 1 });
    expect(admit(state, 'a', 'ding.send')).toBe(true);
    expect(admit(state, 'a', 'ding.send')).toBe(false);
  });
});

describe('webhook signature', () => {
  test('matches the documented HmacSHA256(secret, timestamp + "\\n" + secret) in base64', () => {
    // Computed independently: echo -ne "1700000000000\nSECabc" | openssl dgst -sha256 -hmac SECabc -binary | base64
    expect(webhookSign('SECabc', 1700000000000)).toBe('jcUpW0QmtKduN03n4JqQ0PBosVjqnM8gU7fIIvsDmCM=');
  });
});

// Signing a person in to the mini-app as the H5 page does (免登): a fresh authCode from the
// simulator, exchanged at POST /api/m/session for a session token.
import request from 'supertest';
import type { TestRuntime } from './runtime';

/** `Bearer <token>` for the simulator user `userId` (bound to a person), signed in once per runtime. */
export async function signIn(t: TestRuntime, userId: string, cache?: Map<string, string>): Promise<string> {
  const cached = cache?.get(userId);
  if (cached) return cached;
  const { code } = await t.sim.call<{ code: string }>('POST', '/__sim/authcodes', { userId });
  const res = await request(t.runtime.httpUrl!).post('/api/m/session').send({ authCode: code });
  if (res.status !== 200) throw new Error(`sign-in of ${userId} failed: ${res.status} ${res.text}`);
  const bearer = `Bearer ${res.body.token as string}`;
  cache?.set(userId, bearer);
  return bearer;
}

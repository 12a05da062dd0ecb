// Access-token cache per app: in memory, and in Redis so that every process shares one token.
// Refreshed ~5 minutes before expiry (as the official Python SDK does), single-flight inside a
// process and across processes through a short Redis lock. Token rules: docs/dingtalk-wire.md §1.
import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';

/** A token as DingTalk hands it out. */
export interface FetchedToken {
  accessToken: string;
  /** Lifetime in seconds (7200). */
  expiresInS: number;
}

/** Options of a TokenCache. */
export interface TokenCacheOptions {
  redis: Redis;
  /** Redis key prefix, already specific to the app (e.g. `leiguard:dingtalk:<appKey>:`). */
  keyPrefix: string;
  /** Asks DingTalk for a token. */
  fetchToken: () => Promise<FetchedToken>;
  /** Refresh this long before expiry (default 5 min). */
  refreshBeforeMs?: number;
  /** Lock TTL while one process refreshes (default 10 s). */
  lockTtlMs?: number;
  now?: () => number;
}

interface Cached {
  token: string;
  expiresAt: number;
}

/** Deletes the shared token only if it is the rejected one (another process may have refreshed). */
const DELETE_IF_SAME = `
local v = redis.call('GET', KEYS[1])
if v and cjson.decode(v).token == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;
/** Releases the refresh lock only if we still own it. */
const RELEASE_LOCK = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

/** One app's access token, shared through Redis. */
export class TokenCache {
  private readonly redis: Redis;
  private readonly key: string;
  private readonly lockKey: string;
  private readonly fetchToken: () => Promise<FetchedToken>;
  private readonly refreshBeforeMs: number;
  private readonly lockTtlMs: number;
  private readonly now: () => number;
  private memory?: Cached;
  private inflight?: Promise<string>;

  constructor(opts: TokenCacheOptions) {
    this.redis = opts.redis;
    this.key = `${opts.keyPrefix}token`;
    this.lockKey = `${opts.keyPrefix}token:lock`;
    this.fetchToken = opts.fetchToken;
    this.refreshBeforeMs = opts.refreshBeforeMs ?? 5 * 60_000;
    this.lockTtlMs = opts.lockTtlMs ?? 10_000;
    this.now = opts.now ?? Date.now;
  }

  /** A token valid for at least `refreshBeforeMs` more (or the last valid one if refreshing fails). */
  get(): Promise<string> {
    if (this.memory && this.fresh(this.memory)) return Promise.resolve(this.memory.token);
    this.inflight ??= this.load().finally(() => {
      this.inflight = undefined;
    });
    return this.inflight;
  }

  /** Forgets a token DingTalk rejected, here and in Redis; the next get() fetches a new one. */
  async invalidate(token: string): Promise<void> {
    if (this.memory?.token === token) this.memory = undefined;
    await this.redis.eval(DELETE_IF_SAME, 1, this.key, token);
  }

  private fresh(c: Cached): boolean {
    return this.now() < c.expiresAt - this.refreshBeforeMs;
  }

  private async readShared(): Promise<Cached | undefined> {
    const raw = await this.redis.get(this.key);
    if (!raw) return undefined;
    try {
      const c = JSON.parse(raw) as Cached;
      return typeof c.token === 'string' && typeof c.expiresAt === 'number' ? c : undefined;
    } catch {
      return undefined;
    }
  }

  private async load(): Promise<string> {
    const shared = await this.readShared();
    if (shared && this.fresh(shared)) return this.remember(shared);
    const owner = randomBytes(8).toString('hex');
    const locked = await this.redis.set(this.lockKey, owner, 'PX', this.lockTtlMs, 'NX');
    if (locked) {
      try {
        // Double-check: another process may have refreshed just before we took the lock.
        const again = await this.readShared();
        if (again && this.fresh(again)) return this.remember(again);
        return await this.refresh(again ?? shared);
      } finally {
        await this.redis.eval(RELEASE_LOCK, 1, this.lockKey, owner);
      }
    }
    // Someone else is refreshing: wait for its result, then fall back to refreshing ourselves.
    const deadline = this.now() + this.lockTtlMs;
    while (this.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
      const c = await this.readShared();
      if (c && this.fresh(c)) return this.remember(c);
      if (!(await this.redis.exists(this.lockKey))) break;
    }
    return this.refresh(await this.readShared());
  }

  private async refresh(previous: Cached | undefined): Promise<string> {
    let fetched: FetchedToken;
    try {
      fetched = await this.fetchToken();
    } catch (err) {
      // DingTalk unreachable: a token that has not expired yet still works.
      const stale = previous ?? this.memory;
      if (stale && this.now() < stale.expiresAt) return this.remember(stale);
      throw err;
    }
    const c: Cached = { token: fetched.accessToken, expiresAt: this.now() + fetched.expiresInS * 1000 };
    const ttl = c.expiresAt - this.now();
    if (ttl > 0) await this.redis.set(this.key, JSON.stringify(c), 'PX', ttl);
    return this.remember(c);
  }

  private remember(c: Cached): string {
    this.memory = c;
    return c.token;
  }
}

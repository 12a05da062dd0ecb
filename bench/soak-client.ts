// How the soak's people reach LeiGuard: the mini-app API (signed in by 免登 through the simulator)
// and card clicks in the simulated DingTalk. Processes die and servers restart under them, so
// every call may fail; the callers retry as a person would (and check the record before repeating
// anything that writes).
import type { PrismaClient } from '../core/db';
import type { TestSimulator } from '../test/helpers/simulator';
import type { SoakPerson } from './soak-world';

/** A click that DingTalk saw answered with a card (accepted), to be found decided at the end. */
export interface AcceptedClick {
  kind: 'hazard.ack' | 'approval' | 'verify';
  subjectId: string;
  personId: string;
}

/** What the driver did and saw; the checker compares it with the record. */
export interface SoakRecord {
  actions: number;
  hazards: string[];
  clicks: AcceptedClick[];
  warnings: string[];
  warningAcks: Array<{ warningId: string; personId: string }>;
  digests: string[];
  /** Flows that gave up waiting for something (a card that never came, …), with the reason. */
  stuck: string[];
}

/** An answer of the API. */
export interface ApiAnswer {
  status: number;
  body: Record<string, unknown>;
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** The driver's view of LeiGuard: api calls, sessions, card lookups and clicks. */
export class SoakClient {
  private readonly tokens = new Map<string, string>();

  constructor(
    readonly apiUrl: string,
    readonly sim: TestSimulator,
    readonly prisma: PrismaClient,
    readonly record: SoakRecord,
  ) {}

  /** One request; throws on a network error or a timeout (the api process may be gone). */
  async request(
    method: string,
    path: string,
    opts: { bearer?: string; body?: unknown; form?: FormData } = {},
  ): Promise<ApiAnswer> {
    const headers: Record<string, string> = {};
    if (opts.bearer) headers.authorization = `Bearer ${opts.bearer}`;
    if (opts.body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(`${this.apiUrl}${path}`, {
      method,
      headers,
      body: opts.form ?? (opts.body === undefined ? undefined : JSON.stringify(opts.body)),
      signal: AbortSignal.timeout(15_000),
    });
    const text = await res.text();
    try {
      return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
    } catch {
      return { status: res.status, body: { text } };
    }
  }

  /** A session of the person (免登 through the simulator), cached until the API refuses it. */
  async session(p: SoakPerson): Promise<string> {
    const cached = this.tokens.get(p.id);
    if (cached) return cached;
    const { code } = await this.sim.call<{ code: string }>('POST', '/__sim/authcodes', { userId: p.userId });
    const res = await this.request('POST', '/api/m/session', { body: { authCode: code } });
    if (res.status !== 200) throw new Error(`sign-in ${res.status} ${JSON.stringify(res.body)}`);
    const token = res.body.token as string;
    this.tokens.set(p.id, token);
    return token;
  }

  /**
   * Calls as the person until an answer other than a failure of the moment (5xx, 429, a network
   * error); `done` is asked first on every retry so that a write the lost answer had made is not
   * made twice. Returns the answer (or undefined when `done` found the write already made).
   */
  async as(
    p: SoakPerson | undefined,
    method: string,
    path: string,
    opts: { body?: unknown; form?: () => FormData; bearer?: string; done?: () => Promise<boolean> } = {},
  ): Promise<ApiAnswer | undefined> {
    for (let attempt = 0; ; attempt++) {
      if (attempt > 0 && opts.done && (await this.quietly(opts.done))) return undefined;
      try {
        const bearer = opts.bearer ?? (p ? await this.session(p) : undefined);
        const res = await this.request(method, path, { bearer, body: opts.body, form: opts.form?.() });
        if (res.status === 401 && p) this.tokens.delete(p.id);
        else if (res.status < 500 && res.status !== 429) {
          this.record.actions++;
          return res;
        }
      } catch {
        // the api process is away (killed, restarting): try again
      }
      if (attempt > 600) throw new Error(`${method} ${path}: no answer after ${attempt} attempts`);
      await sleep(1000);
    }
  }

  /** Runs a database read; undefined while Postgres is away. */
  async quietly<T>(fn: () => Promise<T>): Promise<T | undefined> {
    try {
      return await fn();
    } catch {
      return undefined;
    }
  }

  /** Waits for a value (a card, a row); undefined when it did not come in `ms`. */
  async waitFor<T>(fn: () => Promise<T | null | undefined>, ms: number): Promise<T | undefined> {
    const deadline = Date.now() + ms;
    while (Date.now() < deadline) {
      const v = await this.quietly(fn);
      if (v !== undefined && v !== null) return v;
      await sleep(500);
    }
    return undefined;
  }

  /** The card of a kind about a subject that DingTalk shows the person (its create confirmed). */
  card(kind: string, subjectId: string, personId: string, ms = 240_000): Promise<string | undefined> {
    return this.waitFor(
      async () =>
        (
          await this.prisma.cardInstance.findFirst({
            where: { kind, subjectId, recipientPersonId: personId, live: true },
            select: { outTrackId: true },
          })
        )?.outTrackId,
      ms,
    );
  }

  /**
   * Clicks until the click is accepted (answered with a card, not 「系统繁忙」), or the record shows
   * it was taken already (an earlier click whose answer was lost). Accepted clicks are kept for
   * the checker; returns false when neither happened in five minutes.
   */
  async click(
    click: AcceptedClick & { outTrackId: string; userId: string; actionId: string },
    recorded: () => Promise<boolean>,
  ): Promise<boolean> {
    const deadline = Date.now() + 300_000;
    while (Date.now() < deadline) {
      if (await this.quietly(recorded)) return true;
      try {
        const r = await this.sim.click(click.outTrackId, click.userId, click.actionId);
        const text = JSON.stringify(r.response ?? null);
        if (r.acked && !r.error && !text.includes('系统繁忙') && text.length > 4) {
          this.record.actions++;
          this.record.clicks.push({ kind: click.kind, subjectId: click.subjectId, personId: click.personId });
          return true;
        }
      } catch (err) {
        // The button is no longer shown to the person: the card moved on (the click was taken).
        if (/不可见/.test(String(err)))
          return (await this.waitFor(async () => (await recorded()) || null, 60_000)) ?? false;
      }
      await sleep(2000);
    }
    return false;
  }
}

// A lightning warning driven through a test runtime as the feed and the people drive it: the feed's
// POSTs, what the simulator delivered to someone, the deliveries of a purpose once all went out,
// a ladder step made due, an answer from the link a message carries (the 「收到」 page), and other
// work notices that took part of the minute's budget.
import request from 'supertest';
import type { TestRuntime } from './runtime';
import { signIn } from './session';
import { waitFor } from './wait';

/** A message as the simulator recorded it. */
export type SimMessage = {
  seq: number;
  api: string;
  msgKey?: string;
  content: Record<string, unknown>;
  outTrackId?: string;
  processQueryKey?: string;
  revisions?: Array<{ content: Record<string, unknown> }>;
  recalled?: boolean;
};

/** The helpers for one warning id, fed with a bearer token. */
export function warningDriver(t: TestRuntime, warningId: string, token: string) {
  const feed = (path: string, body: unknown) =>
    request(t.runtime.httpUrl!)
      .post(path)
      .set('Authorization', `Bearer ${token}`)
      .send(body as object);

  /** What the simulator delivered to a DingTalk user (of one API when given). */
  const messages = async (userId: string, api?: string) =>
    (await t.sim.call<{ messages: SimMessage[] }>('GET', `/__sim/messages?userId=${userId}${api ? `&api=${api}` : ''}`))
      .messages;

  /** Waits until `n` deliveries of a purpose exist and none is still waiting to go out. */
  const settled = (purpose: string, n: number) =>
    waitFor(
      async () => {
        const rows = await t.db.prisma.delivery.findMany({ where: { purpose }, orderBy: { createdAt: 'asc' } });
        return rows.length === n && rows.every((r) => r.status !== 'PENDING' && r.status !== 'SENDING')
          ? rows
          : undefined;
      },
      30_000,
      `${n} ${purpose} settled`,
    );

  /** Time passes for ladder step `step`: its timer is due now, so the pump fires it on its next pass. */
  async function makeDue(step: number): Promise<void> {
    const timers = await t.db.prisma.timer.findMany({ where: { subjectId: warningId, kind: 'warning.ladder' } });
    const timer = timers.find((x) => (x.data as { step: number }).step === step)!;
    await t.db.prisma.timer.update({ where: { id: timer.id }, data: { dueAt: new Date() } });
    await waitFor(
      async () => (await t.db.prisma.timer.findUnique({ where: { id: timer.id } }))?.status === 'FIRED',
      20_000,
      `ladder step ${step} fired`,
    );
  }

  /** Answers the way the 「收到」 page does, from the link a message carries. */
  async function answerFromLink(userId: string, link: string): Promise<void> {
    const url = new URL(link);
    expect(url.pathname).toBe(`/m/warnings/${warningId}`);
    const bearer = await signIn(t, userId);
    await request(t.runtime.httpUrl!)
      .post(`/api/m/warnings/${warningId}/ack`)
      .set('Authorization', bearer)
      .send({ from: url.searchParams.get('from') })
      .expect(200);
  }

  /** `n` people got other work notices in the last minute: the first line has that much less room. */
  const otherWorkNotices = (n: number) =>
    t.db.prisma.delivery.createMany({
      data: Array.from({ length: n }, (_, i) => ({
        idempotencyKey: `other-notice|${warningId}|${i}`,
        purpose: 'ranking.notice',
        channel: 'WORK_NOTICE' as const,
        template: 'generic-text',
        data: {},
        recipientAddress: `someone${i}`,
        status: 'SENT' as const,
        sentAt: new Date(),
      })),
    });

  return { feed, messages, settled, makeDue, answerFromLink, otherWorkNotices };
}

// Test API (and the chat UI): acting as a person — clicking card buttons, typing to the robot.
import type Router from '@koa/router';
import { z } from 'zod';
import type { SimContext } from '../context';
import { bodyObject } from '../http/body';
import { clickCard } from '../stream/card-callback';
import { pickApp, userSays } from '../stream/robot-message';
import { parseInput } from './validate';

const clickSchema = z.object({
  userId: z.string().min(1),
  actionId: z.string().min(1),
  openConversationId: z.string().min(1).optional(),
  /** Values typed into the card's input components (e.g. a comment), sent with the button's params. */
  inputs: z.record(z.string().min(1).max(100), z.string().max(1000)).optional(),
});
/**
 * A card callback frame exactly as given: what a forged or replayed callback looks like to the
 * app (no check that the user sees the card or that the button exists). `messageId` re-sends a
 * frame already delivered.
 */
const rawCallbackSchema = z.object({
  appKey: z.string().min(1).optional(),
  messageId: z.string().min(1).max(100).optional(),
  data: z.record(z.string(), z.unknown()),
});
/**
 * Clicks (or raw callback frames) sent on a schedule by the simulator itself, as DingTalk sends
 * them: item i leaves at start + i / rate seconds whether or not earlier ones were answered. A
 * benchmark drives many this way without an HTTP request per click from another process.
 */
const driveSchema = z.object({
  rate: z.number().positive().max(10_000),
  items: z
    .array(
      z.union([
        z.object({ click: clickSchema.extend({ outTrackId: z.string().min(1) }) }),
        z.object({ callback: rawCallbackSchema.omit({ messageId: true }) }),
      ]),
    )
    .min(1)
    .max(100_000),
});
const chatSchema = z.object({
  userId: z.string().min(1),
  text: z.string().min(1).max(5000),
  openConversationId: z.string().min(1).optional(),
  appKey: z.string().min(1).optional(),
  atRobot: z.boolean().optional(),
});

/** Pushes a card callback frame as given and waits for the app's ACK. */
async function pushCallback(
  sim: SimContext,
  input: { appKey?: string; messageId?: string; data: Record<string, unknown> },
) {
  const app = pickApp(sim.state, input.appKey);
  const handle = sim.stream.push(
    app.appKey,
    'CALLBACK',
    '/v1.0/card/instances/callback',
    input.data,
    {},
    input.messageId,
  );
  const ack = await handle.waitAck(2000);
  const data = ack.data && typeof ack.data === 'object' ? (ack.data as Record<string, unknown>) : {};
  return {
    messageId: handle.messageId,
    acked: ack.acked,
    ackMs: ack.ackMs,
    response: data['response'] ?? null,
    error: undefined as string | undefined,
  };
}

/** Registers interaction routes. */
export function interactRoutes(router: Router, sim: SimContext): void {
  router.post('/__sim/cards/:outTrackId/click', async (ctx) => {
    const input = parseInput(clickSchema, bodyObject(ctx));
    ctx.body = await clickCard(sim, { outTrackId: ctx.params['outTrackId'] ?? '', ...input });
  });
  router.post('/__sim/stream/callback', async (ctx) => {
    ctx.body = await pushCallback(sim, parseInput(rawCallbackSchema, bodyObject(ctx)));
  });
  router.post('/__sim/drive', async (ctx) => {
    const { rate, items } = parseInput(driveSchema, bodyObject(ctx));
    const started = performance.now();
    const answers: Array<Promise<Record<string, unknown>>> = [];
    for (const [i, item] of items.entries()) {
      // Timers may fire up to a millisecond early (they count whole milliseconds): wait until the
      // item's time has really come, so no item leaves before start + i/rate.
      const due = started + (i * 1000) / rate;
      for (let wait = due - performance.now(); wait > 0; wait = due - performance.now()) {
        await new Promise((r) => setTimeout(r, Math.ceil(wait)));
      }
      const sentAtMs = performance.now() - started;
      const answer = 'click' in item ? clickCard(sim, item.click) : pushCallback(sim, item.callback);
      answers.push(
        answer.then(
          (a) => ({ sentAtMs, acked: a.acked, ackMs: a.ackMs, response: a.response, error: a.error }),
          (err: unknown) => ({
            sentAtMs,
            acked: false,
            response: null,
            error: err instanceof Error ? err.message : String(err),
          }),
        ),
      );
    }
    const results = await Promise.all(answers);
    ctx.body = { spanMs: performance.now() - started, results };
  });
  router.post('/__sim/chat', async (ctx) => {
    ctx.body = await userSays(sim, parseInput(chatSchema, bodyObject(ctx)));
  });
}

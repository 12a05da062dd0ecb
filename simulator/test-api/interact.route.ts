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
const chatSchema = z.object({
  userId: z.string().min(1),
  text: z.string().min(1).max(5000),
  openConversationId: z.string().min(1).optional(),
  appKey: z.string().min(1).optional(),
  atRobot: z.boolean().optional(),
});

/** Registers interaction routes. */
export function interactRoutes(router: Router, sim: SimContext): void {
  router.post('/__sim/cards/:outTrackId/click', async (ctx) => {
    const input = parseInput(clickSchema, bodyObject(ctx));
    ctx.body = await clickCard(sim, { outTrackId: ctx.params['outTrackId'] ?? '', ...input });
  });
  router.post('/__sim/stream/callback', async (ctx) => {
    const input = parseInput(rawCallbackSchema, bodyObject(ctx));
    const app = pickApp(sim.state, input.appKey);
    const handle = sim.stream.push(app.appKey, 'CALLBACK', '/v1.0/card/instances/callback', input.data, {}, input.messageId);
    const ack = await handle.waitAck(2000);
    const data = ack.data && typeof ack.data === 'object' ? (ack.data as Record<string, unknown>) : {};
    ctx.body = { messageId: handle.messageId, acked: ack.acked, ackMs: ack.ackMs, response: data['response'] ?? null };
  });
  router.post('/__sim/chat', async (ctx) => {
    ctx.body = await userSays(sim, parseInput(chatSchema, bodyObject(ctx)));
  });
}

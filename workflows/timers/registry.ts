// Timer kinds -> handlers. A handler runs in ONE transaction with marking its timer FIRED, so a
// timer's effects (deliveries, state changes, follow-up timers) happen exactly once.
import type { Config } from '../../core/config';
import type { Tx } from '../../core/db';
import type { Effects } from '../../core/effects';
import type { Timer } from '../../core/db/generated/client';
import { AppError } from '../../core/errors';
import type { Logger } from '../../core/logger';

/** What a handler may use besides its transaction. */
export interface TimerContext {
  now: Date;
  config: Config;
  publicBaseUrl: string;
  logger: Logger;
}

/**
 * What a handler returns: the effects of its change (core/effects.ts; deliveries, cards, follow-up
 * jobs), applied after commit.
 */
export type TimerResult =
  | (Partial<Effects> & {
      /** Why the timer did nothing (e.g. its step was already decided), kept on the timer row. */
      note?: string;
    })
  | void;

export type TimerHandler = (tx: Tx, timer: Timer, ctx: TimerContext) => Promise<TimerResult>;

const handlers = new Map<string, TimerHandler>();

/** Registers the handler of a timer kind; a kind is defined once. */
export function defineTimerKind(kind: string, handler: TimerHandler): void {
  if (handlers.has(kind)) throw new AppError('TIMER_KIND_DUPLICATE', `定时器类型重复定义：${kind}`, { status: 500 });
  handlers.set(kind, handler);
}

/** The handler of a kind, or undefined when no code knows it (e.g. a kind removed by an upgrade). */
export function timerHandler(kind: string): TimerHandler | undefined {
  return handlers.get(kind);
}

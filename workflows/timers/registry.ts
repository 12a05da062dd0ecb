// Timer kinds -> handlers, as typed tables (issue #24: listed, not registered by import). A handler runs in ONE
// transaction with marking its timer FIRED, so a timer's effects (deliveries, state changes, follow-up timers) happen
// exactly once.
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

/** Timer kinds by name: each feature lists its own; workflows/timers/kinds.ts lists them all. */
export type TimerKinds = Readonly<Record<string, TimerHandler>>;

/** Joins the features' tables; a kind named twice is a programming error. */
export function timerKindTable(...tables: TimerKinds[]): TimerKinds {
  const all: Record<string, TimerHandler> = {};
  for (const table of tables) {
    for (const [kind, handler] of Object.entries(table)) {
      if (Object.hasOwn(all, kind))
        throw new AppError('TIMER_KIND_DUPLICATE', `定时器类型重复定义：${kind}`, { status: 500 });
      all[kind] = handler;
    }
  }
  return Object.freeze(all);
}

/** The handler of a kind, or undefined when no code knows it (e.g. a kind removed by an upgrade). */
export function timerHandler(kinds: TimerKinds, kind: string): TimerHandler | undefined {
  return Object.hasOwn(kinds, kind) ? kinds[kind] : undefined;
}

// What issuing, updating or cancelling a warning takes (WarningOptions) and hands back for after
// its commit (WarningChange: the effects value of core/effects.ts — the deliveries to dispatch, the
// copies to bring up to date, the cards to refresh — with the outcome for the caller).
import type { CardSubject, Effects } from '../effects';
import type { FeedOutcome } from './feed-events';
import type { FirstLines, SharedCardFallback } from './first-line';
import type { Ladders } from './ladder';

/** Where a warning came from. */
export type WarningSource = 'API' | 'WEBHOOK' | 'REGULATOR';

/** Timer kind of the 叫应 ladder: one timer per step, `data.step` its index. */
export const LADDER_TIMER = 'warning.ladder';

/** Cards to refresh after commit: every card of a subject, or of every subject id with a prefix. */
export type RefreshRequest = CardSubject;

/** What a feed message or a regulator's request did; the caller dispatches and updates after commit. */
export interface WarningChange extends Effects {
  warningId: string;
  outcome: FeedOutcome;
  /** The outcome in Chinese. */
  message: string;
  /** HTTP status for the caller. */
  status: number;
  created: boolean;
  version: number;
  /** Key units the warning covers. */
  units: number;
  /** The first line of newly covered units was armed: the warning.fan-out job writes and sends it. */
  fanOut?: boolean;
  refresh: CardSubject[];
}

/** Settings and context of issueWarning / cancelWarning. */
export interface WarningOptions {
  source: WarningSource;
  /** The regulator entering it (source REGULATOR). */
  actorPersonId?: string;
  /** First-line channels per level (WARNING_FIRST_LINE, as effectiveFirstLines makes them). */
  firstLine: FirstLines;
  /**
   * Set when the tenant has no shared-card template: the first lines as configured and the channel
   * that takes CARD_SHARED's place (WARNING_SHARED_CARD_FALLBACK), so the outcome can say how many
   * units it took.
   */
  sharedCardMissing?: { configured: FirstLines; fallback: SharedCardFallback };
  /** 叫应 ladder per level (WARNING_LADDER). */
  ladders: Ladders;
  /** DINGTALK_WORK_NOTICE_PER_MINUTE. */
  workNoticePerMinute: number;
  /** Where links in messages point. */
  publicBaseUrl: string;
  now?: Date;
}

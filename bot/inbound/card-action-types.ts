// What a card click handler is given and what it answers (card-actions.ts routes the click through
// the table of actions/index.ts).
import type { ApprovalTimerOffsets } from '../../core/approval/timer-offsets';
import type { Config } from '../../core/config';
import type { Person } from '../../core/db/generated/client';
import type { ApplyEffects } from '../../core/effects';
import type { PlanSettings } from '../../core/hazard/plan';
import type { Logger } from '../../core/logger';
import type { CurrentCardDeps } from '../cards/current-card';

/** The card update returned in the ACK: the one result type of every click handler. */
export interface CardCallbackResponse {
  cardData?: { cardParamMap: Record<string, string> };
  userPrivateData?: { cardParamMap: Record<string, string> };
  cardUpdateOptions: { updateCardDataByKey: boolean; updatePrivateDataByKey: boolean };
}

/** What the handlers need. */
export interface CardActionDeps extends CurrentCardDeps {
  logger: Logger;
  reworkWorkingDays: number;
  /** The plan new hazards take (config.hazard); default DEFAULT_PLAN_SETTINGS. */
  plan?: PlanSettings;
  /** Offsets of the timers of approval steps a command starts (config.approval); default DEFAULT_TIMER_OFFSETS. */
  approvalTimers?: ApprovalTimerOffsets;
  /** Applies a command's effects after its commit (workflows/notify/apply-effects.ts). */
  apply: ApplyEffects;
  /** Settings of interview cards (issue #6); without them those clicks are not supported. */
  config?: Config;
  /**
   * Queues the worker job deciding an accepted approval click (workflows/approval/click.job.ts).
   * Without it (no queue at hand) approval clicks are decided within the callback.
   */
  queueClick?(clickId: string): Promise<void>;
}

/** The card a click came from. */
export interface ClickedCard {
  outTrackId: string;
  kind: string;
  subjectType: string;
  subjectId: string;
  recipientPersonId: string | null;
}

/** One click: the card, the clicking person (and their DingTalk userId), the action and its inputs. */
export interface Click {
  card: ClickedCard;
  person: Person;
  userId: string;
  action: string;
  params: Record<string, unknown>;
}

/**
 * Handles one action of one card kind. AppErrors (permission, state, input) propagate; the router
 * turns them into a note for the clicker (and audits a refusal).
 */
export type ActionHandler = (deps: CardActionDeps, click: Click) => Promise<CardCallbackResponse>;

/** The actions of one card kind. */
export type KindActions = Readonly<Record<string, ActionHandler>>;

/** Runs work that holds database connections long; the stream passes its card slots (FrameContext.limited). */
export type Limited = <T>(fn: () => Promise<T>) => Promise<T>;

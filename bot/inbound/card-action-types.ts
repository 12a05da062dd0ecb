// What a card click handler is given and what it answers (card-actions.ts routes the click).
import type { InterviewActionDeps } from './interview-actions';
import type { HazardActionDeps } from './hazard-card-actions';
import type { WarningActionDeps } from './warning-card-actions';

/** The card update returned in the ACK. */
export interface CardCallbackResponse {
  cardData?: { cardParamMap: Record<string, string> };
  userPrivateData?: { cardParamMap: Record<string, string> };
  cardUpdateOptions: { updateCardDataByKey: boolean; updatePrivateDataByKey: boolean };
}

/** What the handler needs. */
export interface CardActionDeps extends HazardActionDeps, Pick<WarningActionDeps, 'apply'> {
  render(kind: string, data: unknown, channel: 'CARD'): unknown;
  buildCardData(kind: string, subjectId: string): Promise<Record<string, unknown>>;
  /**
   * Queues the worker job deciding an accepted approval click (workflows/approval/click.job.ts).
   * Without it (no queue at hand) approval clicks are decided within the callback.
   */
  queueClick?(clickId: string): Promise<void>;
  /**
   * Queues the update of one card (notify.card-refresh), with a note for its recipient: a clicked
   * 普通版 card is updated through the API (standard-clicks.ts). Without it such cards are not.
   */
  refreshCard?(r: { subjectType: string; subjectId: string; outTrackId: string; note?: string }): Promise<void>;
  /** Interview actions (issue #6); without it those clicks are not supported. */
  interview?: InterviewActionDeps['interview'];
}

/** Runs work that holds database connections long; the stream passes its card slots (FrameContext.limited). */
export type Limited = <T>(fn: () => Promise<T>) => Promise<T>;

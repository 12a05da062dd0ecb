// Run-time switches of the simulator that are neither quotas nor faults (`PUT /__sim/settings`,
// start-up values through the `settings` option). Limits DingTalk does not publish, or publishes
// inconsistently, are settings here so a test can play a stricter or a kinder tenant.

/** Run-time switches that are neither quotas nor faults. */
export interface SimSettings {
  /** createAndDeliver with an existing outTrackId: DingTalk error or quiet success. */
  cardDuplicate: 'error' | 'idempotent';
  /** Per-user robot message cap per minute (flowControlledStaffIdList); null = off. */
  perUserMessagesPerMinute: number | null;
  /**
   * People who may receive an app's work notices per minute (DingTalk: 5,000; docs/warning-broadcast.md
   * [W1]); the rest are dropped silently and listed in getsendresult's forbidden_list. null = off.
   */
  workNoticeRecipientsPerMinute: number | null;
  /**
   * Work notices: a notice whose content a person already received that day (Asia/Shanghai) is
   * dropped silently (forbidden_list 143106; docs/dingtalk-wire.md §5).
   */
  workNoticeSameContentDaily: boolean;
  /**
   * Work notices one person may receive a day (500 for internal apps; other DingTalk pages say 100
   * or 50, so UNCONFIRMED); beyond it dropped silently (forbidden_list 143105). null = off.
   */
  workNoticesPerUserPerDay: number | null;
  /** Whether the tenant bought SMS / phone DING (without: 400 ding.serverquota.insufficient). */
  dingSmsPurchased: boolean;
  dingPhonePurchased: boolean;
  /** Spaces one createAndDeliver may name (DingTalk does not publish it); null = no cap. */
  cardSpacesPerCall: number | null;
  /**
   * Updates (`PUT /v1.0/card/instances`) one card instance takes in any `windowMs` (real time);
   * one more is refused as DingTalk refuses a call over quota. DingTalk publishes no per-card
   * limit (UNCONFIRMED, docs/cards.md): one a second by default; null = off.
   */
  cardUpdatesPerCard: { max: number; windowMs: number } | null;
}

/** Start-up values: DingTalk's published limits where it publishes them. */
export function defaultSettings(): SimSettings {
  return {
    cardDuplicate: 'error',
    perUserMessagesPerMinute: null,
    workNoticeRecipientsPerMinute: 5000,
    workNoticeSameContentDaily: true,
    workNoticesPerUserPerDay: 500,
    dingSmsPurchased: true,
    dingPhonePurchased: true,
    cardSpacesPerCall: null,
    cardUpdatesPerCard: { max: 1, windowMs: 1000 },
  };
}

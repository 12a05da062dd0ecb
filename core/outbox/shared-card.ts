// A shared interactive card (issue #20): one card instance delivered to a batch of recipients in one
// call, each recipient's own part in their private data. Its CardInstance row names no subject of
// its own (subjectType `shared`, subjectId = its outTrackId); its recipients are the Delivery rows
// carrying its outTrackId as externalId, written before the create call so that a click arriving
// before DingTalk has answered finds them.

/** CardInstance.subjectType of a shared card. */
export const SHARED_SUBJECT = 'shared';

/** The outTrackId of a batch's shared card: fixed by its rows, so a retried create is recognised. */
export function sharedOutTrackId(deliveryIds: readonly string[]): string {
  return `lg-s-${[...deliveryIds].sort()[0]}`;
}

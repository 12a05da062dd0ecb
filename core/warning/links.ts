// Where a warning's messages point (issue #20): the mini-app's one-tap 「收到」 page, signed in by
// 免登, told which call the person came from (so the answer records it), and the 叫应记录 page.

/** The calls a person can answer from, as WarningAck.via names them (`<call>/<where>`). */
export const CALLS = ['FIRST_LINE', 'REMINDER', 'DING', 'SMS', 'CALL', 'UPDATE'] as const;
/** One of them. */
export type WarningCall = (typeof CALLS)[number];

/** Where the answer was given: the message's own channel (a card button) or the page it opened. */
export const ANSWER_PLACES = [
  'WORK_NOTICE',
  'CARD_SHARED',
  'CARD',
  'DING',
  'DING_SMS',
  'DING_CALL',
  'ROBOT_OTO',
] as const;

/** The 「收到」 page of a warning for a person coming from `call` on `channel`. */
export function ackPageUrl(base: string, warningId: string, call: WarningCall, channel: string): string {
  return `${base}/m/warnings/${encodeURIComponent(warningId)}?from=${call}.${channel}`;
}

/** The 叫应记录 page of a warning. */
export function recordPageUrl(base: string, warningId: string): string {
  return `${base}/m/warnings/${encodeURIComponent(warningId)}/record`;
}

/** WarningAck.via from a page's `from` (e.g. FIRST_LINE.WORK_NOTICE); MINIAPP when absent or unknown. */
export function viaFromPage(from: unknown): string {
  if (typeof from !== 'string') return 'MINIAPP';
  const [call, place] = from.split('.');
  return (CALLS as readonly string[]).includes(call ?? '') && (ANSWER_PLACES as readonly string[]).includes(place ?? '')
    ? `${call}/${place}`
    : 'MINIAPP';
}

/** The call a delivery was, from its purpose (warning.first-line, warning.ladder.remind, …). */
export function callOfPurpose(purpose: string): WarningCall | undefined {
  if (purpose === 'warning.first-line') return 'FIRST_LINE';
  if (purpose.startsWith('warning.update-notice')) return 'UPDATE';
  const step = /^warning\.ladder\.(remind|ding|sms|call)/.exec(purpose)?.[1];
  return step ? ({ remind: 'REMINDER', ding: 'DING', sms: 'SMS', call: 'CALL' } as const)[step] : undefined;
}

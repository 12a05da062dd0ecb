// Approval actions as the approval cards' data carries them (core/approval/notice-data.ts): the record's
// facts, worded here by core/approval/decision-line.ts, which the mini-app's approval page words them with too.
import { z } from 'zod';
import { decisionLine } from '../core/approval/decision-line';
import { zTime } from './schemas';

/** A name as the record holds it (worded into a line as it is). */
export const zRecordName = z.string().max(200);

/** One action on a step (core/approval/decision-line.ts DecisionRow, its time as ISO 8601). */
export const zAction = z.object({
  decision: z.string().min(1).max(20),
  at: zTime,
  comment: z.string().max(2000).nullable(),
  /** null: the system (a step's time-out). */
  person: z.object({ name: zRecordName }).nullable(),
  transferToId: z.string().max(64).nullable(),
  targetPersonId: z.string().max(64).nullable(),
  data: z.unknown(),
});

/** Names of the people actions name (transfer, signer, leaders), by person id. */
export const zActionNames = z.record(z.string(), zRecordName);

/** The line people read for an action: 「王执法 驳回（2026-11-21 14:05）：意见」. */
export function actionLine(a: z.output<typeof zAction>, names: Record<string, string>): string {
  return decisionLine({ ...a, at: new Date(a.at) }, new Map(Object.entries(names)));
}

/** At most `max` characters, an ellipsis when cut. */
export function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

// The line people read for one approval action (「王执法 驳回（2026-11-21 14:05）：意见」): the mini-app's
// approval page (views.ts) and the approval cards (templates/notices/approval-task.ts, approval-status.ts)
// word an action the same way.
import { DECISION_LABEL } from './labels';

/** A time as the approval lines show it: Beijing time, 2026-11-21 14:05. */
export function approvalTime(at: Date): string {
  const s = new Date(at.getTime() + 8 * 3600_000).toISOString();
  return `${s.slice(0, 10)} ${s.slice(11, 16)}`;
}

/** A step action as the history shows it. */
export interface DecisionRow {
  decision: string;
  at: Date;
  comment: string | null;
  /** null: the system (a step's time-out). */
  person: { name: string } | null;
  transferToId?: string | null;
  targetPersonId?: string | null;
  data?: unknown;
}

function field(data: unknown, key: string): unknown {
  return data && typeof data === 'object' ? (data as Record<string, unknown>)[key] : undefined;
}

/**
 * The line people read for one action: 「王执法 驳回（11月21日 14:05）：意见」, 「王执法 加签 赵执法（审批前）」,
 * 「系统 超时提醒（第 1 次）」. `names` gives the people the action names (transfer, signer, leaders).
 */
export function decisionLine(d: DecisionRow, names: ReadonlyMap<string, string> = new Map()): string {
  const who = d.person?.name ?? '系统';
  const name = (id: string | null | undefined) => (id ? (names.get(id) ?? '他人') : '他人');
  let what: string;
  switch (d.decision) {
    case 'TRANSFER':
      what = `转交给 ${name(d.transferToId)}`;
      break;
    case 'RETURN':
      what = `退回至「${String(field(d.data, 'toStepName') ?? '前一环节')}」`;
      break;
    case 'ADD_SIGNER':
      what = `加签 ${name(d.targetPersonId)}（${field(d.data, 'position') === 'BEFORE' ? '在本人之前审批' : '在本人之后审批'}）`;
      break;
    case 'REMOVE_SIGNER':
      what = `减签 ${name(d.targetPersonId)}`;
      break;
    case 'REMIND':
      what = `超时提醒（第 ${String(field(d.data, 'n') ?? 1)} 次）`;
      break;
    case 'ESCALATE': {
      const leaders = (field(d.data, 'leaderIds') as string[] | undefined) ?? [];
      what = `超时上报分管领导${leaders.length ? ` ${leaders.map((l) => name(l)).join('、')}` : ''}`;
      break;
    }
    default:
      what = d.person ? DECISION_LABEL[d.decision]! : `超时自动${DECISION_LABEL[d.decision]}`;
  }
  return `${who} ${what}（${approvalTime(d.at)}）${d.comment ? `：${d.comment}` : ''}`;
}

/** Names of everyone the actions mention, for decisionLine. */
export function mentioned(decisions: DecisionRow[]): string[] {
  return decisions
    .flatMap((d) => [
      d.transferToId ?? '',
      d.targetPersonId ?? '',
      ...((field(d.data, 'leaderIds') as string[] | undefined) ?? []),
    ])
    .filter(Boolean);
}

// Data of the notices and cards about decisions on a hazard: the regulator's 整改复核 card, the
// 延期申请 card, and the 处理结果 notice to the unit. Built from the record, so a refreshed card
// always shows the current state and who acted.
import type { Tx } from '../db';
import type { CardStatus } from '../domain/card-state';
import { shanghaiDate } from '../domain/working-days';
import type { NewDelivery } from '../outbox/add-deliveries';
import { hazardLinks } from './notice-data';

const DECIDED = { APPROVED: '复核通过，隐患已销号', REJECTED: '已驳回' } as const;
const DECIDED_STATE = {
  APPROVED: { label: '复核通过', tone: 'green' },
  REJECTED: { label: '已驳回', tone: 'red' },
} as const;

/** "2026-11-21T14:05:00+08:00" (template zTime wants an explicit offset). */
export function shanghaiTime(at: Date): string {
  return `${new Date(at.getTime() + 8 * 3600_000).toISOString().slice(0, 19)}+08:00`;
}

function md(at: Date): string {
  return shanghaiTime(at).slice(5, 16).replace('T', ' ');
}

function hazardRef(h: { type: string; grade: string; description: string }) {
  return { type: h.type, level: h.grade, description: h.description.slice(0, 300) } as const;
}

/** Data of the `rectification-verify` card for one submission. */
export async function rectificationVerifyData(tx: Tx, rectificationId: string, opts: { publicBaseUrl: string }) {
  const r = await tx.rectification.findUniqueOrThrow({
    where: { id: rectificationId },
    include: {
      submittedBy: { select: { name: true } },
      decidedBy: { select: { name: true } },
      hazard: { include: { unit: true } },
    },
  });
  const h = r.hazard;
  const photos = (Array.isArray(r.photos) ? (r.photos as Array<{ url?: unknown }>) : [])
    .filter((p) => typeof p?.url === 'string')
    .map((p) => ({ url: p.url as string }));
  const latest = await tx.rectification.findFirst({
    where: { hazardId: h.id },
    orderBy: { submittedAt: 'desc' },
    select: { id: true },
  });
  let status: CardStatus | undefined;
  if (r.decision) {
    const reason = r.decision === 'REJECTED' && r.rejectReason ? `：${r.rejectReason}` : '';
    status = {
      text: `${DECIDED[r.decision]}（${r.decidedBy?.name ?? ''} ${md(r.decidedAt ?? r.submittedAt)}）${reason}`.slice(
        0,
        100,
      ),
      actionsVisible: false,
      state: DECIDED_STATE[r.decision],
    };
  } else if (latest?.id !== r.id || h.status !== 'SUBMITTED') {
    status = {
      text: '该次提交已失效，请以最新提交为准',
      actionsVisible: false,
      state: { label: '已失效', tone: 'grey' },
    };
  }
  return {
    hazardId: h.id,
    submissionId: r.id,
    unit: { name: h.unit.name },
    hazard: hazardRef(h),
    deadline: shanghaiDate(h.deadline),
    submittedBy: r.submittedBy.name,
    submittedAt: shanghaiTime(r.submittedAt),
    measures: r.description.slice(0, 300),
    evidence: { findings: [], photos: photos.slice(0, 9) },
    links: { detail: hazardLinks(opts.publicBaseUrl, h.id).detail },
    ...(status ? { status } : {}),
  };
}

/** Data of a `hazard-status` notice to the unit. */
export async function hazardStatusData(
  tx: Tx,
  hazardId: string,
  d: {
    status: 'CLOSED' | 'REJECTED' | 'FIXING' | 'SUBMITTED' | 'ESCALATED';
    decidedBy: string;
    at: Date;
    comment?: string;
    deadline?: Date;
  },
  opts: { publicBaseUrl: string },
) {
  const h = await tx.hazard.findUniqueOrThrow({ where: { id: hazardId }, include: { unit: true } });
  const links = hazardLinks(opts.publicBaseUrl, h.id);
  return {
    hazardId: h.id,
    unit: { name: h.unit.name },
    hazard: hazardRef(h),
    status: d.status,
    decidedBy: d.decidedBy.slice(0, 40),
    decidedAt: shanghaiTime(d.at),
    ...(d.comment ? { comment: d.comment.slice(0, 300) } : {}),
    ...(d.deadline ? { deadline: shanghaiDate(d.deadline) } : {}),
    links: { detail: links.detail, submit: links.submit },
  };
}

/**
 * The `hazard-status` notice to each of the unit's managers (statutory, sent 1:1 at once); `key` names what
 * happened, and each manager's idempotency key is `<key>:<personId>`.
 */
export function hazardStatusNotices(
  managers: readonly string[],
  hazardId: string,
  data: Awaited<ReturnType<typeof hazardStatusData>>,
  purpose: string,
  key: string,
): NewDelivery[] {
  return managers.map((m) => ({
    purpose,
    channel: 'ROBOT_OTO',
    template: 'hazard-status',
    data,
    recipientPersonId: m,
    priority: 2,
    statutory: true,
    subjectType: 'hazard',
    subjectId: hazardId,
    idempotencyKey: `${key}:${m}`,
  }));
}

// The data of hazard notices, built from the record. The same builder serves the first alert and
// every later card refresh, so a card always shows the hazard's current state.
import type { Tx } from '../db';
import { shanghaiDate } from '../domain/working-days';

/** Legal basis quoted on every hazard notice (24号令 art. 19 periodic testing, art. 35 penalties). */
export const DEFAULT_LEGAL_BASIS = ['《防雷减灾管理办法》（中国气象局令第24号）第十九条、第三十五条'];

/** Default requirements per hazard grade. */
const REQUIREMENTS = {
  GENERAL: ['在整改期限内完成整改', '整改完成后上传整改说明和照片', '需复测的，委托有资质的检测机构复测并上传报告'],
  MAJOR: [
    '立即采取临时防护措施，必要时停止相关作业',
    '7 日内制定治理方案并报送气象主管机构',
    '整改完成后委托有资质的检测机构复测并上传报告',
  ],
} as const;

/** Beijing days from `deadline` to `now`, at least 1: how late an overdue hazard is. */
function overdueDays(deadline: Date, now: Date): number {
  return Math.max(1, Math.round((Date.parse(shanghaiDate(now)) - Date.parse(shanghaiDate(deadline))) / 86_400_000));
}

/** Links people follow from a notice. */
export function hazardLinks(publicBaseUrl: string, hazardId: string) {
  const base = `${publicBaseUrl.replace(/\/$/, '')}/m/hazards/${encodeURIComponent(hazardId)}`;
  return { submit: `${base}/rectify`, extension: `${base}/extension`, detail: base };
}

/**
 * Data of the `hazard-alert` notice for one hazard, as it stands now. `ackBy` names who has
 * acknowledged, so the card's status line says it.
 */
export async function hazardAlertData(tx: Tx, hazardId: string, opts: { publicBaseUrl: string; now?: Date }) {
  const h = await tx.hazard.findUniqueOrThrow({
    where: { id: hazardId },
    include: {
      unit: { include: { region: true, supervisingOrg: true } },
      filedBy: { include: { org: true } },
      acks: { include: { person: { select: { name: true, dingUserId: true } } }, orderBy: { at: 'asc' } },
      rectifications: {
        orderBy: { submittedAt: 'desc' },
        take: 1,
        include: { submittedBy: { select: { name: true } }, decidedBy: { select: { name: true } } },
      },
    },
  });
  const open = h.status === 'PENDING' || h.status === 'FIXING' || h.status === 'OVERDUE' || h.status === 'ESCALATED';
  const now = opts.now ?? new Date();
  const late = h.status === 'OVERDUE' || h.status === 'ESCALATED' || h.deadline.getTime() < now.getTime();
  // Who acted last, so every recipient's card tells the same story (templates/notices/hazard-alert.ts
  // words the status line and header state from this).
  const last = h.rectifications[0];
  // The unit's people who may read the card but not rectify (a legal representative who is not also
  // a manager): no 「提交整改」 or 「申请延期」 for them.
  const readOnly = await tx.person.findMany({
    where: { unitId: h.unitId, active: true, dingUserId: { not: null } },
    select: { dingUserId: true, roles: true },
  });
  const links = hazardLinks(opts.publicBaseUrl, h.id);
  // An extension can be asked for only before the deadline (extension.ts).
  const canExtend = open && h.deadline.getTime() > now.getTime();
  return {
    hazardId: h.id,
    unit: { name: h.unit.name, uscc: h.unit.uscc, regionName: h.unit.region?.name ?? undefined },
    hazard: {
      type: h.type,
      level: h.grade,
      source: h.source === 'SYSTEM' ? undefined : h.source,
      description: h.description,
      foundAt: shanghaiDate(h.foundAt),
    },
    deadline: shanghaiDate(h.deadline),
    legalBasis: h.legalBasis ? [h.legalBasis] : DEFAULT_LEGAL_BASIS,
    requirements: [...REQUIREMENTS[h.grade]],
    issuer: h.filedBy?.org?.name ?? h.unit.supervisingOrg?.name ?? '气象主管机构',
    links: canExtend ? links : { submit: links.submit, detail: links.detail },
    progress: {
      status: h.status,
      last: last
        ? {
            submittedBy: last.submittedBy.name,
            decision: last.decision ?? undefined,
            decidedBy: last.decision ? (last.decidedBy?.name ?? '') : undefined,
          }
        : undefined,
      ackedBy: h.acks.map((a) => a.person.name),
      riskColor: h.unit.riskColor,
      overdueDays: late ? overdueDays(h.deadline, now) : undefined,
    },
    viewers: {
      acked: h.acks.flatMap((a) => (a.person.dingUserId ? [a.person.dingUserId] : [])),
      readOnly: readOnly
        .filter((p) => !p.roles.includes('UNIT_MANAGER'))
        .flatMap((p) => (p.dingUserId ? [p.dingUserId] : [])),
    },
  };
}

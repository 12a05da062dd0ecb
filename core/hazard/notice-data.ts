// The data of hazard notices, built from the record. The same builder serves the first alert and
// every later card refresh, so a card always shows the hazard's current state.
import type { CardState } from '../domain/card-state';
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

const STATUS_TEXT: Record<string, string> = {
  PENDING: '待整改',
  FIXING: '整改中',
  SUBMITTED: '整改已提交，待监管人员复核',
  CLOSED: '已复核销号',
  OVERDUE: '已逾期未整改',
  ESCALATED: '已逾期并升级处理',
};

/** A hazard's state for a card header: words and colour (overdue ones say by how many days). */
export function hazardState(status: string, deadline: Date, now: Date): CardState {
  const late = Math.max(
    1,
    Math.round((Date.parse(shanghaiDate(now)) - Date.parse(shanghaiDate(deadline))) / 86_400_000),
  );
  switch (status) {
    case 'SUBMITTED':
      return { label: '待复核', tone: 'blue' };
    case 'CLOSED':
      return { label: '已销号', tone: 'green' };
    case 'ESCALATED':
      return { label: `已升级·逾期 ${late} 天`, tone: 'red' };
    case 'OVERDUE':
      return { label: `已逾期 ${late} 天`, tone: 'red' };
    default:
      return deadline.getTime() < now.getTime()
        ? { label: `已逾期 ${late} 天`, tone: 'red' }
        : { label: status === 'FIXING' ? '整改中' : '待整改', tone: 'orange' };
  }
}

const RISK_SHORT = { RED: '红码', YELLOW: '黄码', GREEN: '绿码' } as const;

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
  const acked = h.acks.map((a) => a.person.name);
  const open = h.status === 'PENDING' || h.status === 'FIXING' || h.status === 'OVERDUE' || h.status === 'ESCALATED';
  const statusParts = [`状态：${STATUS_TEXT[h.status] ?? h.status}`];
  // Who acted last, so every recipient's card tells the same story.
  const last = h.rectifications[0];
  if (last && h.status === 'SUBMITTED') statusParts.push(`${last.submittedBy.name} 已提交整改`);
  if (last?.decision === 'APPROVED' && h.status === 'CLOSED')
    statusParts.push(`${last.decidedBy?.name ?? ''} 复核通过`);
  if (last?.decision === 'REJECTED' && h.status !== 'CLOSED' && h.status !== 'SUBMITTED')
    statusParts.push(`整改被${last.decidedBy?.name ?? ''}驳回，请重新提交`);
  if (acked.length > 0 && open) statusParts.push(`${acked.join('、')} 已知悉`);
  statusParts.push(`单位风险码：${RISK_SHORT[h.unit.riskColor]}`);
  const now = opts.now ?? new Date();
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
    status: {
      text: statusParts.join('；').slice(0, 100),
      actionsVisible: open,
      state: hazardState(h.status, h.deadline, now),
    },
    viewers: {
      acked: h.acks.flatMap((a) => (a.person.dingUserId ? [a.person.dingUserId] : [])),
      readOnly: readOnly
        .filter((p) => !p.roles.includes('UNIT_MANAGER'))
        .flatMap((p) => (p.dingUserId ? [p.dingUserId] : [])),
    },
  };
}

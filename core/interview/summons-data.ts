// Data of the `interview-summons` card for one interview, as it stands now (first send, every
// refresh and the clicking user's answer): who confirmed, a pending reschedule, the outcome.
import type { Config } from '../config';
import type { Tx } from '../db';
import type { CardStatus } from '../domain/card-state';
import { interviewLink, shanghaiIso } from './proposal-data';

/** What the unit brings unless the regulator says otherwise (安委〔2018〕2号 practice). */
export const DEFAULT_MATERIALS = ['隐患整改方案及落实情况', '防雷安全管理制度和责任清单', '近一年防雷装置检测报告'];

/** Legal basis quoted on summons. */
export const INTERVIEW_BASIS = '《防雷减灾管理办法》和《安全生产约谈实施办法（试行）》';

/** People of the unit who are summoned: the legal representative and the managers. */
export async function summonedPeople(tx: Tx, unitId: string): Promise<Array<{ id: string; name: string }>> {
  const people = await tx.person.findMany({
    where: { unitId, active: true },
    select: { id: true, name: true, roles: true },
    orderBy: { name: 'asc' },
  });
  return people
    .filter((p) => p.roles.includes('LEGAL_REP') || p.roles.includes('UNIT_MANAGER'))
    .map(({ id, name }) => ({ id, name }));
}

/** Template data of `interview-summons`. */
export async function interviewSummonsData(
  tx: Tx,
  interviewId: string,
  opts: { config: Config; publicBaseUrl: string },
) {
  const iv = await tx.interview.findUniqueOrThrow({
    where: { id: interviewId },
    include: {
      unit: { include: { region: true, supervisingOrg: true } },
      createdBy: { include: { org: true } },
      acks: { include: { person: { select: { name: true } } }, orderBy: { at: 'asc' } },
    },
  });
  const confirmed = iv.acks.filter((a) => a.version === iv.version).map((a) => a.person.name);
  let status: CardStatus | undefined;
  switch (iv.status) {
    case 'ACKNOWLEDGED':
      status = {
        text: `${confirmed.join('、')} 已确认参加`,
        actionsVisible: true,
        state: { label: '已确认参加', tone: 'green' },
      };
      break;
    case 'RESCHEDULE_REQUESTED':
      status = {
        text: '已申请改期，等待气象主管机构重新安排',
        actionsVisible: false,
        state: { label: '已申请改期', tone: 'orange' },
      };
      break;
    case 'HELD':
    case 'REPORT_SUBMITTED':
      status = {
        text: '约谈已举行，请按期落实整改承诺',
        actionsVisible: false,
        state: { label: '约谈已举行', tone: 'blue' },
      };
      break;
    case 'CLOSED':
      status = { text: '约谈事项已办结', actionsVisible: false, state: { label: '已办结', tone: 'green' } };
      break;
    case 'CANCELLED':
      status = { text: '约谈已取消', actionsVisible: false, state: { label: '已取消', tone: 'grey' } };
      break;
    default:
      status = undefined;
  }
  return {
    interviewId: iv.id,
    unit: { name: iv.unit.name, uscc: iv.unit.uscc, regionName: iv.unit.region.name },
    time: shanghaiIso(iv.scheduledAt),
    place: iv.place.slice(0, 60),
    host: (iv.createdBy.org?.name ?? iv.unit.supervisingOrg?.name ?? `${iv.unit.region.name}气象局`).slice(0, 40),
    attendees: '单位法定代表人、安全管理负责人',
    reason: iv.reason.slice(0, 300),
    materials: iv.materials.length > 0 ? iv.materials : DEFAULT_MATERIALS,
    basis: INTERVIEW_BASIS,
    contact: { name: iv.createdBy.name.slice(0, 60) },
    reportDays: opts.config.interview.reportWorkingDays,
    links: { detail: interviewLink(opts.publicBaseUrl, iv.id) },
    status,
  };
}

// Data of the `interview-proposal` card for one DutyAction, as it stands now (first send and every
// refresh): the suggested or current time and place, the unit's recent places, a pending request to
// reschedule, and the decision once taken.
import type { Config } from '../config';
import type { CardStatus } from '../domain/card-state';
import type { Tx } from '../db';
import { addWorkingDaysToDay } from '../domain/working-days';
import { rankingLinks } from '../ranking/detail';
import { parsePeriod, periodLabel } from '../ranking/period';

/** "YYYY-MM-DDTHH:mm:00+08:00" of a Shanghai instant. */
export function shanghaiIso(at: Date): string {
  return `${new Date(at.getTime() + 8 * 3600_000).toISOString().slice(0, 16)}:00+08:00`;
}

/** The suggested interview time: INTERVIEW_LEAD_WORKING_DAYS working days ahead at INTERVIEW_DEFAULT_TIME. */
export function suggestedTime(config: Config, now: Date): Date {
  return new Date(
    `${addWorkingDaysToDay(now, config.interview.leadWorkingDays)}T${config.interview.defaultTime}:00+08:00`,
  );
}

/** Link of the interview page in the mini-app. */
export function interviewLink(publicBaseUrl: string, interviewId: string): string {
  return `${publicBaseUrl.replace(/\/$/, '')}/m/interviews/${encodeURIComponent(interviewId)}`;
}

/** Template data of `interview-proposal`. */
export async function proposalCardData(
  tx: Tx,
  dutyActionId: string,
  opts: { config: Config; publicBaseUrl: string; now?: Date },
) {
  const a = await tx.dutyAction.findUniqueOrThrow({
    where: { id: dutyActionId },
    include: { unit: { include: { supervisingOrg: true, region: true } }, interview: true },
  });
  const rankings = await tx.dutyRanking.findMany({
    where: { unitId: a.unitId, publishedAt: { not: null } },
    orderBy: { period: 'desc' },
    take: 3,
  });
  const history = rankings
    .reverse()
    .map((r) => `${periodLabel(parsePeriod(r.period))}：第 ${r.rank}/${r.total} 名，${r.score.toFixed(1)} 分`);
  const iv = a.interview;
  const place = iv?.place ?? `${a.unit.supervisingOrg?.name ?? `${a.unit.region.name}气象局`}会议室`;
  const time = iv?.scheduledAt ?? suggestedTime(opts.config, opts.now ?? new Date());
  let status: CardStatus | undefined;
  const rescheduling = iv?.status === 'RESCHEDULE_REQUESTED';
  if (a.status === 'DECLINED')
    status = {
      text: `已决定暂不约谈：${a.declineReason ?? ''}`.slice(0, 100),
      actionsVisible: false,
      state: { label: '暂不约谈', tone: 'grey' },
    };
  else if (iv && !rescheduling)
    status = {
      text: `已发起约谈：${shanghaiIso(iv.scheduledAt).slice(0, 16).replace('T', ' ')}，${iv.place}`.slice(0, 100),
      actionsVisible: false,
      state: { label: '已发起约谈', tone: 'green' },
    };
  return {
    proposalId: a.id,
    unit: { name: a.unit.name, uscc: a.unit.uscc, regionName: a.unit.region.name },
    reason: a.reason,
    history,
    time: shanghaiIso(time),
    place: place.slice(0, 60),
    rescheduleRequest: rescheduling ? (iv!.rescheduleReason || '单位未说明理由').slice(0, 200) : undefined,
    // The ranking that triggered the proposal, with the unit's history and earlier steps.
    links: { detail: rankingLinks(opts.publicBaseUrl, a.period, a.unitId).detail },
    status,
  };
}

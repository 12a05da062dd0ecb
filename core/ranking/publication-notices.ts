// The notices of a ranking's publication (issue #6 part 3): each unit its rank (and its 提醒),
// the leaders the top and bottom of their jurisdiction, the regulators the list of units that
// crossed a line plus one proposal card per interview proposal.
import type { Config } from '../config';
import type { Tx } from '../db';
import { LABELS } from '../domain/labels';
import { regionPrefix } from '../domain/region';
import type { NewDelivery } from '../outbox/add-deliveries';
import { proposalCardData } from '../interview/proposal-data';
import { costliest, INDICATOR_KEYS, INDICATORS, indicatorResults, type RankingRules } from './indicators';
import { rankingLinks } from './detail';
import type { DutyStep } from './duty-steps';
import type { RankingRow as Row } from './rows';

/** What the notices of one publication are built from. */
export interface PublicationInput {
  period: string;
  /** The period as people read it. */
  label: string;
  rows: Row[];
  actions: DutyStep[];
  rules: RankingRules;
  /** Region code → name. */
  regions: Map<string, string>;
  config: Config;
  publicBaseUrl: string;
  now: Date;
}

/** The deliveries of one publication, in the order they are written. */
export async function publicationNotices(tx: Tx, input: PublicationInput): Promise<NewDelivery[]> {
  const { period, rows, actions, rules, label, regions, config, publicBaseUrl, now } = input;
  const links = rankingLinks(publicBaseUrl, period);
  const deliveries: NewDelivery[] = [];
  const actionByUnit = new Map(actions.map((a) => [a.row.unitId, a]));

  // People: the units' managers and legal representatives; leaders; regulators.
  const people = await tx.person.findMany({
    where: { active: true, OR: [{ unitId: { not: null } }, { orgId: { not: null } }] },
    select: {
      id: true,
      roles: true,
      unitId: true,
      orgId: true,
      org: { select: { id: true, name: true, regionCode: true } },
    },
  });
  const unitPeople = new Map<string, string[]>();
  for (const person of people) {
    if (!person.unitId || !(person.roles.includes('UNIT_MANAGER') || person.roles.includes('LEGAL_REP'))) continue;
    const list = unitPeople.get(person.unitId) ?? [];
    list.push(person.id);
    unitPeople.set(person.unitId, list);
  }

  for (const row of rows) {
    const ind = indicatorResults(row);
    const cost = costliest(ind);
    const action = actionByUnit.get(row.unitId);
    // What follows from this place; templates/notices/ranking-notice.ts words it.
    const next = action
      ? { kind: action.kind, reason: action.reason }
      : row.bottom && rules.bottomPeriods > row.consecutiveBottom
        ? { kind: 'BOTTOM_WARNING' as const, periods: rules.bottomPeriods }
        : undefined;
    const regionName = row.regionName;
    const data = {
      period: label,
      scope: `${regionName}${LABELS.UnitCategory[row.category]}重点单位`.slice(0, 40),
      unit: { name: row.unitName },
      rank: row.rank,
      total: row.total,
      score: row.score,
      indicators: INDICATOR_KEYS.map((k) => ({
        name: INDICATORS[k].name,
        score: ind[k].points,
        max: ind[k].max,
      })).filter((i) => i.max > 0),
      consecutiveBottom: row.consecutiveBottom,
      bottomPercent: rules.bottomPercent,
      advice: cost.map((c) => INDICATORS[c.key].advice),
      next,
      issuer: row.supervisingOrgName ?? `${regionName}气象局`,
      links: rankingLinks(publicBaseUrl, period, row.unitId),
    };
    for (const personId of unitPeople.get(row.unitId) ?? []) {
      deliveries.push({
        purpose: 'ranking.notice',
        channel: 'ROBOT_OTO',
        template: 'ranking-notice',
        data,
        recipientPersonId: personId,
        priority: 8,
        subjectType: 'ranking',
        subjectId: `${period}:${row.unitId}`,
      });
      if (action?.kind === 'REMINDER') {
        deliveries.push({
          purpose: 'duty.reminder',
          channel: 'WORK_NOTICE',
          template: 'duty-reminder',
          data: {
            unit: { name: row.unitName },
            reason: action.reason,
            issuer: data.issuer,
            links: { detail: data.links.detail },
          },
          recipientPersonId: personId,
          priority: 4,
          statutory: true,
          subjectType: 'duty-action',
          subjectId: action.id,
        });
      }
    }
  }

  // Leaders: the top and the bottom of their jurisdiction.
  const n = config.ranking.leaderRows;
  for (const leader of people.filter((x) => x.roles.includes('LEADER') && x.org)) {
    const prefix = regionPrefix(leader.org!.regionCode);
    const mine = rows.filter((r) => r.regionCode.startsWith(prefix));
    if (mine.length === 0) continue;
    const toRow = (r: Row) => ({
      rank: r.rank,
      total: r.total,
      unitName: r.unitName,
      group: `${r.regionName}·${LABELS.UnitCategory[r.category]}`,
      score: r.score,
    });
    const acts = actions.filter((a) => a.row.regionCode.startsWith(prefix));
    deliveries.push({
      purpose: 'ranking.leader',
      channel: 'ROBOT_OTO',
      template: 'ranking-leader-table',
      data: {
        period: label,
        regionName: regions.get(leader.org!.regionCode) ?? leader.org!.regionCode,
        units: mine.length,
        averageScore: Math.round((mine.reduce((s, r) => s + r.score, 0) / mine.length) * 100) / 100,
        top: mine.slice(0, n).map(toRow),
        bottom: mine.slice(Math.max(n, mine.length - n)).map(toRow),
        reminders: acts.filter((a) => a.kind === 'REMINDER').length,
        interviews: acts.filter((a) => a.kind === 'INTERVIEW_PROPOSAL').length,
        links: { ranking: `${links.ranking}?region=${leader.org!.regionCode}` },
      },
      recipientPersonId: leader.id,
      priority: 8,
      subjectType: 'ranking',
      subjectId: period,
    });
  }

  // Regulators of the responsible org (the unit's supervising org, else the orgs of its county).
  const regulators = people.filter((x) => x.roles.includes('REGULATOR') && x.org);
  const byOrg = new Map<string, { name: string; items: typeof actions }>();
  for (const a of actions) {
    const orgIds = a.row.supervisingOrgId
      ? [a.row.supervisingOrgId]
      : [...new Set(regulators.filter((r) => r.org!.regionCode === a.row.regionCode).map((r) => r.org!.id))];
    for (const orgId of orgIds) {
      const org = regulators.find((r) => r.org!.id === orgId)?.org;
      if (!org) continue;
      const entry = byOrg.get(orgId) ?? { name: org.name, items: [] };
      entry.items.push(a);
      byOrg.set(orgId, entry);
    }
  }
  for (const [orgId, entry] of byOrg) {
    const staff = regulators.filter((r) => r.org!.id === orgId);
    for (const reg of staff) {
      deliveries.push({
        purpose: 'ranking.duty-list',
        channel: 'ROBOT_OTO',
        template: 'ranking-duty-list',
        data: {
          period: label,
          orgName: entry.name,
          items: entry.items.slice(0, 50).map((a) => ({ unitName: a.row.unitName, step: a.kind, reason: a.reason })),
          links: { ranking: links.ranking },
        },
        recipientPersonId: reg.id,
        priority: 5,
        subjectType: 'ranking',
        subjectId: period,
      });
    }
    for (const a of entry.items.filter((x) => x.kind === 'INTERVIEW_PROPOSAL')) {
      const data = await proposalCardData(tx, a.id, {
        config,
        publicBaseUrl,
        now,
      });
      for (const reg of staff) {
        deliveries.push({
          purpose: 'interview.proposal',
          channel: 'CARD',
          template: 'interview-proposal',
          data,
          recipientPersonId: reg.id,
          priority: 3,
          statutory: true,
          subjectType: 'duty-action',
          subjectId: a.id,
        });
      }
    }
  }

  return deliveries;
}

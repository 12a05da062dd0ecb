// Publishing a computed ranking (issue #6 parts 3 and 4), in ONE transaction: the rows become
// final (publishedAt), units that crossed the line get their 提醒 or an interview proposal
// (DutyAction), and the notices are queued — each unit its rank, the leaders the top and bottom of
// their jurisdiction, the regulators the list of units that crossed a line plus one proposal card
// per interview proposal — with one audit event per step.
import type { Config } from '../config';
import { appendAudit } from '../audit';
import type { PrismaClient, Tx } from '../db';
import type { DutyActionKind } from '../db/generated/enums';
import { LABELS } from '../domain/labels';
import { regionPrefix } from '../domain/region';
import { NotFoundError } from '../errors';
import { addDeliveries, type NewDelivery } from '../outbox/add-deliveries';
import { proposalCardData } from '../interview/proposal-data';
import { costliest, INDICATOR_KEYS, INDICATORS, indicatorResults, type RankingRules } from './indicators';
import { parsePeriod, periodLabel } from './period';
import { rankingLinks } from './detail';
import { rankingRows, type RankingRow as Row } from './rows';

/** Outcome of a publication. */
export interface PublishResult {
  period: string;
  alreadyPublished: boolean;
  reminders: number;
  proposals: number;
  deliveryIds: string[];
}

/** Units with a 重大 hazard the hazard loop escalated (overdue past its threshold). */
async function majorOverdueUnits(tx: Tx): Promise<Set<string>> {
  const rows = await tx.hazard.findMany({
    where: { grade: 'MAJOR', status: 'ESCALATED' },
    select: { unitId: true },
    distinct: ['unitId'],
  });
  return new Set(rows.map((r) => r.unitId));
}

/**
 * First a 提醒; when the unit crosses a line again (a reminder from an earlier period exists and no
 * interview was closed since), an interview proposal; nothing new while an earlier proposal is
 * still undecided or its interview is still under way (the regulator already has it in hand).
 */
async function stepFor(tx: Tx, unitId: string, period: string): Promise<DutyActionKind | undefined> {
  const pending = await tx.dutyAction.findFirst({
    where: { unitId, kind: 'INTERVIEW_PROPOSAL', period: { not: period }, status: { in: ['OPEN', 'SCHEDULED'] } },
  });
  if (pending) return undefined;
  const reminder = await tx.dutyAction.findFirst({
    where: { unitId, kind: 'REMINDER', period: { not: period } },
    orderBy: { createdAt: 'desc' },
  });
  if (!reminder) return 'REMINDER';
  const closed = await tx.interview.findFirst({
    where: { unitId, status: 'CLOSED', closedAt: { gt: reminder.createdAt } },
  });
  return closed ? 'REMINDER' : 'INTERVIEW_PROPOSAL';
}

/** Publishes a computed, unpublished ranking; publishing twice changes nothing the second time. */
export async function publishRanking(
  prisma: PrismaClient,
  periodKey: string,
  rules: RankingRules,
  opts: { config: Config; publicBaseUrl: string; now?: Date; personId?: string },
): Promise<PublishResult> {
  const p = parsePeriod(periodKey);
  const now = opts.now ?? new Date();
  return prisma.$transaction(
    async (tx) => {
      await tx.$executeRawUnsafe('SELECT pg_advisory_xact_lock(hashtext($1))', `ranking:${p.key}`);
      const total = await tx.dutyRanking.count({ where: { period: p.key } });
      if (total === 0) throw new NotFoundError('RANKING_NOT_FOUND', `${p.key} 期排名尚未计算`);
      const updated = await tx.dutyRanking.updateMany({
        where: { period: p.key, publishedAt: null },
        data: { publishedAt: now },
      });
      if (updated.count === 0)
        return { period: p.key, alreadyPublished: true, reminders: 0, proposals: 0, deliveryIds: [] };

      const rows = await rankingRows(tx, { period: p.key, order: 'score' });
      const regions = new Map(
        (await tx.region.findMany({ select: { code: true, name: true } })).map((r) => [r.code, r.name]),
      );
      const label = periodLabel(p);
      const links = rankingLinks(opts.publicBaseUrl, p.key);
      const deliveries: NewDelivery[] = [];

      // 提醒 / 约谈建议
      const major = await majorOverdueUnits(tx);
      const actions: Array<{ row: Row; kind: DutyActionKind; reason: string; triggers: string[]; id: string }> = [];
      for (const row of rows) {
        const triggers: string[] = [];
        const why: string[] = [];
        if (row.consecutiveBottom >= rules.bottomPeriods) {
          triggers.push('BOTTOM');
          why.push(`连续 ${row.consecutiveBottom} 期排名后 ${rules.bottomPercent}%`);
        }
        if (major.has(row.unitId)) {
          triggers.push('MAJOR_OVERDUE');
          why.push('有重大隐患逾期未整改');
        }
        if (triggers.length === 0) continue;
        const kind = await stepFor(tx, row.unitId, p.key);
        if (!kind) continue;
        const reason = `${why.join('，')}${kind === 'INTERVIEW_PROPOSAL' ? '，此前已提醒' : ''}`;
        const action = await tx.dutyAction.upsert({
          where: { unitId_period_kind: { unitId: row.unitId, period: p.key, kind } },
          create: {
            unitId: row.unitId,
            period: p.key,
            kind,
            triggers,
            reason,
            status: kind === 'REMINDER' ? 'DONE' : 'OPEN',
          },
          update: {},
        });
        await appendAudit(tx, {
          actorKind: 'SYSTEM',
          action: kind === 'REMINDER' ? 'duty.reminded' : 'duty.interview-proposed',
          subjectType: 'unit',
          subjectId: row.unitId,
          data: {
            period: p.key,
            dutyActionId: action.id,
            triggers,
            rank: row.rank,
            total: row.total,
            score: row.score,
          },
        });
        actions.push({ row, kind, reason, triggers, id: action.id });
      }
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
        const nextStep = action
          ? action.kind === 'REMINDER'
            ? `${action.reason}，现对你单位予以提醒；再次达到条件的，将约谈单位主要负责人。`
            : `${action.reason}，已建议气象主管机构约谈你单位主要负责人。`
          : row.bottom && rules.bottomPeriods > row.consecutiveBottom
            ? `连续 ${rules.bottomPeriods} 期排名后 ${rules.bottomPercent}% 的单位将被提醒。`
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
          nextStep,
          issuer: row.supervisingOrgName ?? `${regionName}气象局`,
          links: rankingLinks(opts.publicBaseUrl, p.key, row.unitId),
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
            subjectId: `${p.key}:${row.unitId}`,
          });
          if (action?.kind === 'REMINDER') {
            deliveries.push({
              purpose: 'duty.reminder',
              channel: 'WORK_NOTICE',
              template: 'generic-text',
              data: {
                title: '防雷安全主体责任落实提醒',
                paragraphs: [
                  `${row.unitName}：${action.reason}。`,
                  '请对照排名失分项，认真落实防雷安全主体责任，及时整改隐患、按期检测、按要求开展码上检查并确认雷电预警。',
                  '再次达到提醒条件的，气象主管机构将约谈单位主要负责人。',
                ],
                sender: data.issuer,
                link: { title: '查看得分明细', url: data.links.detail },
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
      const n = opts.config.ranking.leaderRows;
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
          subjectId: p.key,
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
              items: entry.items
                .slice(0, 50)
                .map((a) => ({ unitName: a.row.unitName, step: a.kind, reason: a.reason })),
              links: { ranking: links.ranking },
            },
            recipientPersonId: reg.id,
            priority: 5,
            subjectType: 'ranking',
            subjectId: p.key,
          });
        }
        for (const a of entry.items.filter((x) => x.kind === 'INTERVIEW_PROPOSAL')) {
          const data = await proposalCardData(tx, a.id, {
            config: opts.config,
            publicBaseUrl: opts.publicBaseUrl,
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

      const deliveryIds: string[] = [];
      for (let i = 0; i < deliveries.length; i += 5000)
        deliveryIds.push(...(await addDeliveries(tx, deliveries.slice(i, i + 5000))));
      const reminders = actions.filter((a) => a.kind === 'REMINDER').length;
      const proposals = actions.length - reminders;
      await appendAudit(tx, {
        actorKind: opts.personId ? 'PERSON' : 'SYSTEM',
        actorPersonId: opts.personId,
        action: 'ranking.published',
        subjectType: 'ranking',
        subjectId: p.key,
        data: { units: rows.length, reminders, proposals, deliveries: deliveryIds.length },
      });
      return { period: p.key, alreadyPublished: false, reminders, proposals, deliveryIds };
    },
    { timeout: 300_000, maxWait: 30_000 },
  );
}

// Publishing a computed ranking (issue #6 parts 3 and 4), in ONE transaction: the rows become
// final (publishedAt), units that crossed the line get their 提醒 or an interview proposal
// (DutyAction), and the notices are queued — each unit its rank, the leaders the top and bottom of
// their jurisdiction, the regulators the list of units that crossed a line plus one proposal card
// per interview proposal — with one audit event per step.
import type { Config } from '../config';
import { appendAudit } from '../audit';
import type { PrismaClient } from '../db';
import { NotFoundError } from '../errors';
import { addDeliveries } from '../outbox/add-deliveries';
import { takeDutySteps } from './duty-steps';
import type { RankingRules } from './indicators';
import { parsePeriod, periodLabel } from './period';
import { publicationNotices } from './publication-notices';
import { rankingRows } from './rows';

/** Outcome of a publication. */
export interface PublishResult {
  period: string;
  alreadyPublished: boolean;
  reminders: number;
  proposals: number;
  deliveryIds: string[];
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
      const actions = await takeDutySteps(tx, rows, rules, p.key);
      const deliveries = await publicationNotices(tx, {
        period: p.key,
        label: periodLabel(p),
        rows,
        actions,
        rules,
        regions,
        config: opts.config,
        publicBaseUrl: opts.publicBaseUrl,
        now,
      });

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

// Queues the morning digests (issue #8 parts 1-3): one per leader for their bureau's jurisdiction,
// covering what happened since their last digest, plus, when configured, one for the leaders'
// group robot. The idempotency key holds the date, so running twice on a day sends once.
import type { PrismaClient } from '../db';
import { isRestDay, shanghaiDate } from '../domain/working-days';
import { addDeliveries, type NewDelivery } from '../outbox/add-deliveries';
import { computeDigest, nothingNew, type Digest } from './digest-figures';

/** How a day's digest is sent. */
export interface DigestOptions {
  now: Date;
  publicBaseUrl: string;
  /** full, or short on holidays (by configuration). */
  mode: 'full' | 'short';
  /** Monday: add the week's trend (and never shorten to the one-line form). */
  weekly: boolean;
  /** Leaders' group custom robot (WebhookRobot id). */
  groupRobotId?: string;
}

/** What DIGEST_ON_HOLIDAYS asks for on rest days of the Chinese calendar. */
export type RestDayPolicy = 'skip' | 'short' | 'send';

/**
 * How the digest of the day containing `now` goes out. Rest days are weekends and public holidays,
 * with 调休 working Saturdays and Sundays counted as working days (chinese-days); on them the
 * policy skips the digest, sends the short form or sends the usual one. Mondays (Asia/Shanghai)
 * carry the weekly summary.
 */
export function digestPlan(
  now: Date,
  onRestDays: RestDayPolicy,
): { skip: true } | { skip: false; mode: 'full' | 'short'; weekly: boolean } {
  const rest = isRestDay(now);
  if (rest && onRestDays === 'skip') return { skip: true };
  const weekly = new Date(`${shanghaiDate(now)}T00:00:00Z`).getUTCDay() === 1;
  return { skip: false, mode: rest && onRestDays === 'short' ? 'short' : 'full', weekly };
}

/** Bulk priority: digests wait behind every urgent notice (core/outbox). */
export const DIGEST_PRIORITY = 8;

/** The template data of one digest. */
export function digestData(d: Digest, regionName: string, opts: DigestOptions): Record<string, unknown> {
  const quiet = !opts.weekly && nothingNew(d.figures) && d.overCap.total === 0;
  return {
    date: shanghaiDate(opts.now),
    regionName: regionName.slice(0, 30),
    mode: quiet ? 'quiet' : opts.mode,
    figures: d.figures,
    mostOverdue: d.mostOverdue,
    permitsNearLimit: d.permitsNearLimit,
    interviews: d.interviews,
    turnedRed: d.turnedRed,
    week: opts.weekly ? d.week : undefined,
    overCap: d.overCap.total > 0 ? d.overCap : undefined,
    links: { dashboard: `${opts.publicBaseUrl.replace(/\/$/, '')}/m/dashboard` },
  };
}

/** Writes the day's digest deliveries; returns their ids for the dispatcher. */
export async function queueDigests(prisma: PrismaClient, opts: DigestOptions): Promise<string[]> {
  const date = shanghaiDate(opts.now);
  // Roles are filtered here, not in SQL: the PGlite adapter sends enum-array parameters as a
  // plain string (see core/hazard/file-hazard.ts).
  const leaders = (
    await prisma.person.findMany({
      where: { active: true, orgId: { not: null } },
      select: { id: true, roles: true, org: { select: { regionCode: true, region: { select: { name: true } } } } },
    })
  ).filter((p) => p.roles.includes('LEADER'));
  const deliveries: NewDelivery[] = [];
  for (const l of leaders) {
    const last = await prisma.delivery.findFirst({
      where: { recipientPersonId: l.id, purpose: 'digest.daily', createdAt: { lt: opts.now } },
      orderBy: { createdAt: 'desc' },
      select: { createdAt: true },
    });
    const since = last?.createdAt ?? new Date(opts.now.getTime() - 86_400_000);
    const digest = await computeDigest(prisma, l.org!.regionCode, since, opts.now);
    deliveries.push({
      purpose: 'digest.daily',
      channel: 'ROBOT_OTO',
      template: 'daily-digest',
      data: digestData(digest, l.org!.region.name, opts),
      recipientPersonId: l.id,
      priority: DIGEST_PRIORITY,
      subjectType: 'digest',
      subjectId: date,
      idempotencyKey: `digest.daily|${date}|${l.id}`,
    });
  }
  if (opts.groupRobotId) {
    const robot = await prisma.webhookRobot.findUnique({ where: { id: opts.groupRobotId }, include: { region: true } });
    if (robot?.active && robot.region) {
      const digest = await computeDigest(
        prisma,
        robot.region.code,
        new Date(opts.now.getTime() - 86_400_000),
        opts.now,
      );
      deliveries.push({
        purpose: 'digest.group',
        channel: 'WEBHOOK',
        template: 'daily-digest',
        data: digestData(digest, robot.region.name, opts),
        recipientAddress: robot.id,
        priority: DIGEST_PRIORITY,
        subjectType: 'digest',
        subjectId: date,
        idempotencyKey: `digest.group|${date}|${robot.id}`,
      });
    }
  }
  return addDeliveries(prisma, deliveries);
}

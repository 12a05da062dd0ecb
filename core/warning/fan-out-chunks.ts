// A warning's first line written after its commit (issue #20). The POST's transaction writes the
// warning and a durable intent (WarningFanOut: the channels, the work notices' room, the counts);
// the warning.fan-out job then writes the WarningUnit and Delivery rows in set-based SQL, one
// INSERT … SELECT over Unit and Person a chunk, in Postgres (no row passes through Node), and
// dispatches each chunk once committed. A chunk is the next units of the regions not yet written,
// in fan-out order, so a fan-out cut short (the worker gone mid-way) resumes where the rows stop;
// each chunk's progress commits with its rows, and the idempotency keys of the deliveries (and the
// WarningUnit key) make a repeated chunk write nothing twice.
import { appendAudit } from '../audit';
import type { Tx } from '../db';
import { addDeliveries, batchKeyOf } from '../outbox/add-deliveries';
import { regionPrefix } from '../domain/region';
import { regulatorCards, tellRegulators } from './regulators';
import { warningPriority } from './fan-out';
import { ackPageUrl } from './links';
import { CATEGORY_ORDER, CATEGORY_PRECAUTIONS } from './precautions';
import { sharedWarningData, unitCardData, UNIT_SUBJECT, WARNING_SUBJECT, type WarningBase } from './warning-cards';

const PURPOSE = 'warning.first-line';
const TEMPLATE = 'lightning-warning';

const patternsOf = (regionCodes: readonly string[]) => regionCodes.map((c) => `${regionPrefix(c)}%`);

/**
 * Covered units not yet written for the warning, and how many of them no message can reach
 * (no manager or legal representative, or none of the people called has a DingTalk identity).
 * One count, so the POST answers with the figures before any row is written.
 */
export async function uncoveredCounts(
  tx: Tx,
  warningId: string,
  regionCodes: readonly string[],
): Promise<{ units: number; unreachable: number }> {
  const [row] = await tx.$queryRaw<Array<{ units: bigint; unreachable: bigint }>>`
    SELECT count(*) AS units,
           count(*) FILTER (WHERE NOT EXISTS (
             SELECT 1 FROM "Person" p
              WHERE p."unitId" = u.id AND p.active AND p."dingUserId" IS NOT NULL
                AND ('UNIT_MANAGER' = ANY(p.roles::text[])
                  OR ('LEGAL_REP' = ANY(p.roles::text[]) AND NOT EXISTS (
                        SELECT 1 FROM "Person" m
                         WHERE m."unitId" = u.id AND m.active AND 'UNIT_MANAGER' = ANY(m.roles::text[])))))) AS unreachable
      FROM "Unit" u
     WHERE u.active AND u."regionCode" LIKE ANY(${patternsOf(regionCodes)}::text[])
       AND NOT EXISTS (SELECT 1 FROM "WarningUnit" x WHERE x."warningId" = ${warningId} AND x."unitId" = u.id)`;
  return { units: Number(row?.units ?? 0), unreachable: Number(row?.unreachable ?? 0) };
}

/** Arms the warning's fan-out (in the warning's transaction): the first line of the units not yet written. */
export async function armFanOut(
  tx: Tx,
  w: { id: string; version: number },
  plan: { channels: readonly string[]; room: number; total: number },
): Promise<void> {
  const [{ n } = { n: 0n }] = await tx.$queryRaw<Array<{ n: bigint }>>`
    SELECT count(*) AS n FROM "WarningUnit" WHERE "warningId" = ${w.id}`;
  const fields = {
    version: w.version,
    channels: [...plan.channels],
    room: plan.room,
    people: 0,
    rankFrom: Number(n),
    total: plan.total,
    written: 0,
    finishedAt: null,
  };
  await tx.warningFanOut.upsert({ where: { warningId: w.id }, create: { warningId: w.id, ...fields }, update: fields });
}

/** The fan-out row, locked for this transaction; undefined when there is nothing to do. */
export async function lockFanOut(tx: Tx, warningId: string) {
  const [f] = await tx.$queryRaw<
    Array<{ version: number; channels: string[]; room: number; people: number; rankFrom: number; written: number }>
  >`
    SELECT version, channels, room, people, "rankFrom", written FROM "WarningFanOut"
     WHERE "warningId" = ${warningId} AND "finishedAt" IS NULL FOR UPDATE`;
  return f;
}

/**
 * The data every first-line message of a channel carries, as fan-out.ts firstLineDeliveries (a unit card adds its unit
 * in SQL).
 */
function channelData(b: WarningBase, now: Date, publicBaseUrl: string) {
  const shared: Record<string, Record<string, unknown>> = {
    WORK_NOTICE: sharedWarningData(b, now, undefined, ackPageUrl(publicBaseUrl, b.w.id, 'FIRST_LINE', 'WORK_NOTICE')),
    DING: sharedWarningData(b, now, undefined, ackPageUrl(publicBaseUrl, b.w.id, 'FIRST_LINE', 'DING')),
    ROBOT_OTO: sharedWarningData(b, now, undefined, ackPageUrl(publicBaseUrl, b.w.id, 'FIRST_LINE', 'ROBOT_OTO')),
    CARD_SHARED: sharedWarningData(b, now),
  };
  // JSON as a Json column holds it (undefined members dropped), as addDeliveries writes it.
  const plain = (v: unknown) => JSON.parse(JSON.stringify(v)) as Record<string, unknown>;
  const keys = Object.fromEntries(
    Object.entries(shared).map(([channel, data]) => [
      channel,
      batchKeyOf({ channel: channel as 'WORK_NOTICE', template: TEMPLATE, purpose: PURPOSE, data: plain(data) }),
    ]),
  );
  const {
    unit: _unit,
    extraAdvice: _advice,
    ...cardBase
  } = unitCardData(b, { name: '', category: 'OTHER' }, null, now);
  return { shared: plain(shared), keys, cardBase: plain(cardBase) };
}

/** A delivery a chunk wrote, as the dispatcher needs it (PENDING, statutory, sent at once). */
export interface ChunkDelivery {
  id: string;
  channel: string;
  batchKey: string | null;
  priority: number;
  notBefore: null;
  recipientAddress: null;
  statutory: true;
}

/**
 * Writes the next `limit` units of the warning not yet written, with their first-line deliveries,
 * in one statement, and the fan-out's progress. The caller holds the fan-out row (lockFanOut).
 * Returns the units written and the deliveries created (most urgent first), to dispatch after commit.
 */
export async function writeChunk(
  tx: Tx,
  b: WarningBase,
  f: NonNullable<Awaited<ReturnType<typeof lockFanOut>>>,
  limit: number,
  now: Date,
  publicBaseUrl: string,
): Promise<{ units: number; deliveries: ChunkDelivery[] }> {
  const { shared, keys, cardBase } = channelData(b, now, publicBaseUrl);
  const [c0 = 'CARD_SHARED', c1 = c0] = f.channels;
  // Work notices take units while their callees fit in the room, then the next channel takes the
  // rest (first-line.ts assignChannels): a running sum over the fan-out order, carried across chunks.
  // Two channels are all a level can use (any channel but work notices takes every unit left; the
  // configuration refuses a longer list, core/config/warning.ts).
  const split = c0 === 'WORK_NOTICE' && f.channels.length > 1;
  // fan-out.ts warningPriority: the level's, one less urgent outside the most exposed categories.
  const base = warningPriority(b.w.level, 'FLAMMABLE');
  const [row] = await tx.$queryRaw<
    Array<{
      units: bigint;
      people: bigint | null;
      ids: string[] | null;
      channels: string[] | null;
      keys: string[] | null;
      priorities: number[] | null;
    }>
  >`
    WITH next AS (
      SELECT u.id, u.name, u.category,
             row_number() OVER (ORDER BY COALESCE(array_position(${CATEGORY_ORDER}::text[], u.category::text), 1000), u.id) AS k
        FROM "Unit" u
       WHERE u.active AND u."regionCode" LIKE ANY(${patternsOf(b.w.regionCodes)}::text[])
         AND NOT EXISTS (SELECT 1 FROM "WarningUnit" x WHERE x."warningId" = ${b.w.id} AND x."unitId" = u.id)
       ORDER BY k LIMIT ${limit}
    ), ppl AS (
      SELECT p."unitId" AS unit, p.id AS person, p."dingUserId" IS NOT NULL AS bound,
             'UNIT_MANAGER' = ANY(p.roles::text[]) AS manager, 'LEGAL_REP' = ANY(p.roles::text[]) AS legal
        FROM next n JOIN "Person" p ON p."unitId" = n.id
       WHERE p.active AND p.roles::text[] && ARRAY['UNIT_MANAGER', 'LEGAL_REP']
    ), facts AS (
      SELECT n.id, n.name, n.category, n.k, count(p.person) AS people, COALESCE(bool_or(p.manager), false) AS has_manager
        FROM next n LEFT JOIN ppl p ON p.unit = n.id GROUP BY n.id, n.name, n.category, n.k
    ), callee AS (
      -- The managers (the legal representatives when there is none) with a DingTalk identity (fan-out.ts callees).
      SELECT p.unit, p.person FROM ppl p JOIN facts f ON f.id = p.unit
       WHERE p.bound AND CASE WHEN f.has_manager THEN p.manager ELSE p.legal END
    ), counted AS (
      -- Grouped once: a correlated count over the callee CTE per unit made a chunk quadratic
      -- (10,000 units took 6.3 s, 20,000 took 22 s).
      SELECT f.*, COALESCE(n.callees, 0) AS callees
        FROM facts f LEFT JOIN (SELECT unit, count(*) AS callees FROM callee GROUP BY unit) n ON n.unit = f.id
    ), assigned AS (
      SELECT f.*,
             CASE WHEN f.people = 0 THEN '未登记负责人或法定代表人'
                  WHEN f.callees = 0 THEN '负责人和法定代表人均未绑定钉钉账号' END AS reason,
             CASE WHEN f.callees = 0 THEN ''
                  WHEN ${split}::boolean AND ${f.people}::bigint + sum(f.callees) OVER (ORDER BY f.k) > ${f.room}::bigint
                  THEN ${c1}::text ELSE ${c0}::text END AS channel
        FROM counted f
    ), units AS (
      INSERT INTO "WarningUnit" ("warningId", "unitId", channel, rank, unreachable)
      SELECT ${b.w.id}, a.id, a.channel, ${f.rankFrom + f.written}::int + a.k::int - 1, a.reason FROM assigned a
      ON CONFLICT ("warningId", "unitId") DO NOTHING
      RETURNING "unitId", channel
    ), dels AS (
      INSERT INTO "Delivery" (id, "idempotencyKey", purpose, channel, template, data, "recipientPersonId",
                              priority, statutory, "subjectType", "subjectId", "batchKey", "updatedAt")
      SELECT gen_random_uuid()::text,
             ${PURPOSE} || '|' || i.channel || '|p:' || c.person || '|' || ${UNIT_SUBJECT} || ':' || ${b.w.id} || '|' || i."unitId",
             ${PURPOSE}, i.channel::"DeliveryChannel", ${TEMPLATE},
             CASE WHEN i.channel = 'CARD'
                  THEN ${JSON.stringify(cardBase)}::jsonb || jsonb_build_object('unit', jsonb_build_object('name', left(a.name, 60)),
                                                               'extraAdvice', ${JSON.stringify(CATEGORY_PRECAUTIONS)}::jsonb -> a.category::text)
                  ELSE ${JSON.stringify(shared)}::jsonb -> i.channel END,
             c.person,
             ${base}::int + CASE WHEN a.category::text IN ('FLAMMABLE', 'MINE_SCENIC') THEN 0 ELSE 1 END,
             true, ${UNIT_SUBJECT}, ${b.w.id} || '|' || i."unitId",
             CASE WHEN i.channel = 'CARD' THEN md5(${b.w.id} || '|' || i."unitId") ELSE ${JSON.stringify(keys)}::jsonb ->> i.channel END,
             now()
        FROM units i JOIN assigned a ON a.id = i."unitId" JOIN callee c ON c.unit = i."unitId"
       WHERE i.channel <> ''
      ON CONFLICT DO NOTHING
      RETURNING id, priority, channel::text AS channel, "batchKey"
    ), sorted AS (SELECT * FROM dels ORDER BY priority)
    SELECT (SELECT count(*) FROM next) AS units, (SELECT sum(callees) FROM assigned) AS people,
           (SELECT array_agg(id) FROM sorted) AS ids, (SELECT array_agg(channel) FROM sorted) AS channels,
           (SELECT array_agg("batchKey") FROM sorted) AS keys, (SELECT array_agg(priority) FROM sorted) AS priorities`;
  const units = Number(row?.units ?? 0);
  await tx.$executeRaw`
    UPDATE "WarningFanOut"
       SET written = written + ${units}, people = people + ${Number(row?.people ?? 0)}, "updatedAt" = now()
     WHERE "warningId" = ${b.w.id}`;
  const ids = row?.ids ?? [];
  const deliveries = ids.map((id, k) => ({
    id,
    channel: row!.channels![k]!,
    batchKey: row!.keys![k] ?? null,
    priority: row!.priorities![k]!,
    notBefore: null,
    recipientAddress: null,
    statutory: true as const,
  }));
  return { units, deliveries };
}

/**
 * Ends a fan-out once every unit is written: the regulators' status card (counting every unit
 * written), to each unit's regulators the list of the units no message can reach, and an audit
 * event (warning.first-line) with the counts. Returns
 * the ids of the deliveries created, to dispatch after commit.
 */
export async function finishFanOut(
  tx: Tx,
  b: WarningBase,
  f: { version: number },
  now: Date,
  publicBaseUrl: string,
): Promise<string[]> {
  // The regulators concerned: each unit's supervising bureau, or its county's when it has none.
  const orgs = await tx.$queryRaw<Array<{ supervisingOrgId: string | null; regionCode: string }>>`
    SELECT DISTINCT u."supervisingOrgId", CASE WHEN u."supervisingOrgId" IS NULL THEN u."regionCode" ELSE '' END AS "regionCode"
      FROM "WarningUnit" wu JOIN "Unit" u ON u.id = wu."unitId" WHERE wu."warningId" = ${b.w.id}`;
  const unreachable = await tx.$queryRaw<
    Array<{ unitId: string; name: string; regionCode: string; supervisingOrgId: string | null }>
  >`
    SELECT u.id AS "unitId", u.name, u."regionCode", u."supervisingOrgId"
      FROM "WarningUnit" wu JOIN "Unit" u ON u.id = wu."unitId"
     WHERE wu."warningId" = ${b.w.id} AND wu.unreachable IS NOT NULL AND wu."regulatorToldAt" IS NULL
     ORDER BY wu.rank`;
  const deliveries = [
    ...(await regulatorCards(
      tx,
      b,
      orgs.map((o, i) => ({ unitId: `org${i}`, name: '', ...o })),
      now,
      publicBaseUrl,
    )),
    ...(await tellRegulators(tx, b, unreachable, {
      reason: 'UNREACHABLE',
      calls: [],
      // A new warning's list is v0, an update's carries the version (one list per change).
      purpose: `warning.unreachable.v${f.version === 1 ? 0 : f.version}`,
      priority: warningPriority(b.w.level, 'FLAMMABLE'),
      now,
      publicBaseUrl,
    })),
  ];
  const done = await tx.warningFanOut.update({ where: { warningId: b.w.id }, data: { finishedAt: now } });
  // On record, and followers of the record (the to-do mirror) see the units now written.
  await appendAudit(tx, {
    actorKind: 'SYSTEM',
    action: 'warning.first-line',
    subjectType: WARNING_SUBJECT,
    subjectId: b.w.id,
    data: { version: f.version, units: done.written, unreachable: unreachable.length },
  });
  return addDeliveries(tx, deliveries);
}

// Maps people to DingTalk accounts by mobile (issue #9): user-by-mobile gives the userId, the user
// record gives the unionId. Every call goes through the DingTalk client, so the shared quota
// limiter paces it. Progress is kept per person in DingLookup (and on Person), committed one
// person at a time: after a crash the next run looks up only those not yet done, and a person
// whose mobile changed since (another blind index) is looked up again. People who have a userId
// but no unionId (entered by hand, or mapped before unionIds were kept) get theirs from the user
// record too: DingTalk's to-do API addresses people by unionId (todo_1_0, issue #21).
import type { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import { appendAudit } from '../../core/audit';
import { revealMobile, type DataKey } from '../../core/crypto';
import type { PrismaClient } from '../../core/db';
import { label } from '../../core/domain/labels';
import type { DingTalkClient } from '../clients';
import { withRetries } from './retry';

/** What a mapping run needs. */
export interface MapDingTalkOptions {
  prisma: PrismaClient;
  dingtalk: DingTalkClient;
  dataKey: DataKey;
  /** Look-ups in flight at once (the limiter still paces them; default 4). */
  concurrency?: number;
  /** Look again for people DingTalk did not know last time (default: no). */
  retryNotFound?: boolean;
  /** Called after each person with (done, total). */
  onProgress?: (done: number, total: number) => void;
  signal?: AbortSignal;
}

/** Outcome of a run. */
export interface MapDingTalkResult {
  /** People looked up by mobile. */
  total: number;
  found: number;
  notFound: number;
  conflicts: number;
  /** Look-ups that failed (network, DingTalk errors) after retries; the next run retries them. */
  failed: number;
  /** People who had a userId and now also have their unionId. */
  unionIdsFilled: number;
  errors: Array<{ personId: string; message: string }>;
}

/** A person DingTalk does not know (or whose account belongs to someone else), for the report. */
export interface UnmappedPerson {
  personId: string;
  name: string;
  mobileMasked: string | null;
  status: 'NOT_FOUND' | 'CONFLICT';
  note: string | null;
  checkedAt: Date;
}

/** Ids of the people a run must look up, oldest first. */
async function candidates(prisma: PrismaClient, retryNotFound: boolean): Promise<string[]> {
  const rows = await prisma.$queryRawUnsafe<Array<{ id: string }>>(
    `SELECT p.id FROM "Person" p LEFT JOIN "DingLookup" l ON l."personId" = p.id
      WHERE p.active AND p."mobileEnc" IS NOT NULL AND p."dingUserId" IS NULL
        AND (l."personId" IS NULL OR l."mobileHash" IS DISTINCT FROM p."mobileHash" OR ($1 AND l.status = 'NOT_FOUND'))
      ORDER BY p."createdAt", p.id`,
    retryNotFound,
  );
  return rows.map((r) => r.id);
}

type Outcome = 'found' | 'notFound' | 'conflicts' | 'unionIdsFilled';

/** Ids of people with a DingTalk userId and no unionId, oldest first. */
async function withoutUnionId(prisma: PrismaClient): Promise<string[]> {
  const rows = await prisma.person.findMany({
    where: { active: true, dingUserId: { not: null }, dingUnionId: null },
    select: { id: true },
    orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
  });
  return rows.map((r) => r.id);
}

/** Fills in the unionId of a person who has a userId, unless another person holds it. */
async function fillUnionId(opts: MapDingTalkOptions, personId: string): Promise<Outcome | null> {
  const { prisma, dingtalk, signal } = opts;
  const person = await prisma.person.findUnique({
    where: { id: personId },
    select: { dingUserId: true, dingUnionId: true },
  });
  if (!person?.dingUserId || person.dingUnionId) return null; // changed meanwhile
  const user = await withRetries(() => dingtalk.userGet(person.dingUserId!, { signal }), signal);
  if (!user.unionId) return null;
  return prisma.$transaction(async (tx) => {
    const holder = await tx.person.findFirst({
      where: { id: { not: personId }, dingUnionId: user.unionId },
      select: { id: true },
    });
    if (holder) return 'conflicts' as const;
    const n = await tx.person.updateMany({
      where: { id: personId, dingUserId: person.dingUserId, dingUnionId: null },
      data: { dingUnionId: user.unionId },
    });
    if (n.count === 0) return null;
    await appendAudit(tx, {
      actorKind: 'SYSTEM',
      action: 'person.dingtalk_union_filled',
      subjectType: 'person',
      subjectId: personId,
      data: { dingUserId: person.dingUserId, dingUnionId: user.unionId ?? null },
    });
    return 'unionIdsFilled' as const;
  });
}

async function mapOne(opts: MapDingTalkOptions, personId: string): Promise<Outcome | null> {
  const { prisma, dingtalk, signal } = opts;
  const person = await prisma.person.findUnique({
    where: { id: personId },
    select: { id: true, mobileEnc: true, mobileHash: true, dingUserId: true },
  });
  if (!person?.mobileEnc || !person.mobileHash || person.dingUserId) return null; // changed meanwhile
  const mobile = revealMobile(opts.dataKey, person.mobileEnc);
  const userId = await withRetries(() => dingtalk.userByMobile(mobile, { signal }), signal);
  if (userId === null) {
    await prisma.dingLookup.upsert({
      where: { personId },
      create: { personId, mobileHash: person.mobileHash, status: 'NOT_FOUND' },
      update: {
        mobileHash: person.mobileHash,
        status: 'NOT_FOUND',
        dingUserId: null,
        note: null,
        checkedAt: new Date(),
      },
    });
    return 'notFound';
  }
  const user = await withRetries(() => dingtalk.userGet(userId, { signal }), signal);
  return prisma.$transaction(async (tx) => {
    const holder = await tx.person.findFirst({
      where: {
        id: { not: personId },
        OR: [{ dingUserId: userId }, ...(user.unionId ? [{ dingUnionId: user.unionId }] : [])],
      },
      select: { id: true, name: true },
    });
    const lookup = { mobileHash: person.mobileHash!, dingUserId: userId, checkedAt: new Date() };
    if (holder) {
      const note = `钉钉账号 ${userId} 已关联到另一人员（${holder.id}）`;
      await tx.dingLookup.upsert({
        where: { personId },
        create: { personId, status: 'CONFLICT', note, ...lookup },
        update: { status: 'CONFLICT', note, ...lookup },
      });
      return 'conflicts' as const;
    }
    await tx.person.update({
      where: { id: personId },
      data: { dingUserId: userId, dingUnionId: user.unionId ?? null },
    });
    await tx.dingLookup.upsert({
      where: { personId },
      create: { personId, status: 'FOUND', ...lookup },
      update: { status: 'FOUND', note: null, ...lookup },
    });
    await appendAudit(tx, {
      actorKind: 'SYSTEM',
      action: 'person.dingtalk_mapped',
      subjectType: 'person',
      subjectId: personId,
      data: { dingUserId: userId, dingUnionId: user.unionId ?? null },
    });
    return 'found' as const;
  });
}

/** Runs the mapping over everyone not yet mapped; see the file comment. */
export async function mapDingTalk(opts: MapDingTalkOptions): Promise<MapDingTalkResult> {
  const byMobile = await candidates(opts.prisma, Boolean(opts.retryNotFound));
  const unionOnly = await withoutUnionId(opts.prisma);
  const ids = [...byMobile.map((id) => ({ id, run: mapOne })), ...unionOnly.map((id) => ({ id, run: fillUnionId }))];
  const result: MapDingTalkResult = {
    total: byMobile.length,
    found: 0,
    notFound: 0,
    conflicts: 0,
    failed: 0,
    unionIdsFilled: 0,
    errors: [],
  };
  let next = 0;
  let done = 0;
  opts.onProgress?.(0, ids.length);
  const worker = async () => {
    while (next < ids.length && !opts.signal?.aborted) {
      const { id, run } = ids[next++]!;
      try {
        const outcome = await run(opts, id);
        if (outcome) result[outcome]++;
      } catch (err) {
        if (opts.signal?.aborted) break;
        result.failed++;
        result.errors.push({ personId: id, message: err instanceof Error ? err.message : String(err) });
      }
      opts.onProgress?.(++done, ids.length);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, opts.concurrency ?? 4) }, worker));
  return result;
}

/** Everyone DingTalk did not know (or whose account is someone else's), for the report. */
export async function listUnmapped(prisma: PrismaClient): Promise<UnmappedPerson[]> {
  const rows = await prisma.dingLookup.findMany({
    where: { status: { in: ['NOT_FOUND', 'CONFLICT'] }, person: { dingUserId: null, active: true } },
    include: { person: { select: { name: true, mobileMasked: true, mobileHash: true } } },
    orderBy: { checkedAt: 'asc' },
  });
  return rows
    .filter((r) => r.person.mobileHash === r.mobileHash) // an outdated result is not reported
    .map((r) => ({
      personId: r.personId,
      name: r.person.name,
      mobileMasked: r.person.mobileMasked,
      status: r.status as 'NOT_FOUND' | 'CONFLICT',
      note: r.note,
      checkedAt: r.checkedAt,
    }));
}

/** Writes the people-not-found report (.xlsx; mobiles masked). */
export async function writeUnmappedReport(people: UnmappedPerson[], out: Writable): Promise<void> {
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true });
  const ws = wb.addWorksheet('未匹配钉钉账号的人员');
  ws.columns = [
    { header: '人员编号', width: 38 },
    { header: '姓名', width: 12 },
    { header: '手机号', width: 16 },
    { header: '结果', width: 14 },
    { header: '说明', width: 50 },
    { header: '查询时间', width: 22 },
  ];
  ws.getRow(1).font = { bold: true };
  ws.getRow(1).commit();
  for (const p of people) {
    ws.addRow([
      p.personId,
      p.name,
      p.mobileMasked ?? '',
      label('DingLookupStatus', p.status),
      p.note ?? '请核对手机号，或请本人加入本单位钉钉组织后重新匹配',
      p.checkedAt.toISOString(),
    ]).commit();
  }
  ws.commit();
  await wb.commit();
}

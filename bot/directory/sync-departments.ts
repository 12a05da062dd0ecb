// Syncs regulators' and leaders' bureaus from DingTalk's contact tree (issue #9): walks the
// departments from a root, links each department to the RegulatorOrg of the same name (once
// linked, the department id is what counts, so a renamed department stays linked), and moves
// every regulator or leader to the bureau of the department DingTalk has them in. A person in a
// sub-department without a bureau of its own (科室) belongs to the nearest linked department above
// it; a person in several belongs to the deepest one. Every change is its own transaction with an
// audit event, so a run that dies half-way is simply run again; a run with nothing to change
// writes nothing. Every call goes through the DingTalk client and its shared quota limiter.
import { appendAudit } from '../../core/audit';
import type { PrismaClient } from '../../core/db';
import type { DingTalkCalls } from '../clients';
import { withRetries } from './retry';

/** What a sync run needs. The walk starts below `rootDeptId`: the root itself is never a bureau. */
export interface SyncDepartmentsOptions {
  prisma: PrismaClient;
  dingtalk: Pick<DingTalkCalls, 'departmentsUnder' | 'userIdsInDepartment'>;
  /** Where the walk starts (default 1, the org's root). */
  rootDeptId?: number;
  /** Report what would change without writing anything. */
  dryRun?: boolean;
  /** Called after each department with (done, known so far). */
  onProgress?: (done: number, known: number) => void;
  signal?: AbortSignal;
}

/** A department the walk saw. */
export interface SeenDepartment {
  deptId: number;
  name: string;
  /** Names from the root down, joined with " / ". */
  path: string;
}

/** Outcome of a run. */
export interface SyncDepartmentsResult {
  departments: number;
  /** Departments linked to a bureau (before or during this run). */
  matched: number;
  /** Links made by this run. */
  linked: Array<SeenDepartment & { orgId: string; orgName: string }>;
  /** Departments with no bureau of that name, and no linked department above them. */
  unmatched: SeenDepartment[];
  /** Departments whose name fits several unlinked bureaus: linked to none, their people not synced. */
  ambiguous: Array<SeenDepartment & { orgIds: string[] }>;
  /** Regulators and leaders moved to another bureau by this run. */
  moved: Array<{
    personId: string;
    name: string;
    fromOrgId: string | null;
    toOrgId: string;
    deptId: number;
    fromOrgName: string | null;
    toOrgName: string;
  }>;
  /** DingTalk userIds in linked departments that no LeiGuard person has. */
  unknownUserIds: string[];
  /** Regulators and leaders with a DingTalk account that no linked department holds. */
  notFound: Array<{ personId: string; name: string }>;
}

interface Org {
  id: string;
  name: string;
  dingDeptId: string | null;
}

interface Walked extends SeenDepartment {
  depth: number;
  /** The linked department this one's members belong to (itself or the nearest above). */
  ownerDeptId: number | null;
}

const normName = (s: string) => s.replace(/\s+/g, '');

/** Runs the sync; see the file comment. */
export async function syncDepartments(opts: SyncDepartmentsOptions): Promise<SyncDepartmentsResult> {
  const { prisma, dingtalk, signal } = opts;
  const root = opts.rootDeptId ?? 1;
  const orgs: Org[] = await prisma.regulatorOrg.findMany({
    select: { id: true, name: true, dingDeptId: true },
    orderBy: { id: 'asc' },
  });
  const byDept = new Map(orgs.filter((o) => o.dingDeptId).map((o) => [o.dingDeptId!, o]));
  const unlinkedByName = new Map<string, Org[]>();
  for (const o of orgs.filter((x) => !x.dingDeptId))
    unlinkedByName.set(normName(o.name), [...(unlinkedByName.get(normName(o.name)) ?? []), o]);

  const result: SyncDepartmentsResult = {
    departments: 0,
    matched: 0,
    linked: [],
    unmatched: [],
    ambiguous: [],
    moved: [],
    unknownUserIds: [],
    notFound: [],
  };
  const orgOfDept = new Map<number, string>();
  const queue: Walked[] = [{ deptId: root, name: '', path: '', depth: 0, ownerDeptId: null }];
  // userId -> the linked department that owns them (deepest wins; equal depth: lowest dept id).
  const owner = new Map<string, { deptId: number; depth: number }>();
  let done = 0;

  while (queue.length > 0 && !signal?.aborted) {
    const dept = queue.shift()!;
    let ownerDeptId = dept.ownerDeptId;
    if (dept.depth > 0) {
      const org = await matchOrg(dept);
      if (org === 'ambiguous') {
        ownerDeptId = null; // its people are not guessed into the bureau above
      } else if (org) {
        orgOfDept.set(dept.deptId, org.id);
        ownerDeptId = dept.deptId;
        result.matched++;
      } else if (ownerDeptId === null) {
        result.unmatched.push(pick(dept));
      }
    }
    if (ownerDeptId !== null) {
      for (const userId of await withRetries(() => dingtalk.userIdsInDepartment(dept.deptId, { signal }), signal)) {
        const prev = owner.get(userId);
        if (!prev || dept.depth > prev.depth || (dept.depth === prev.depth && ownerDeptId < prev.deptId))
          owner.set(userId, { deptId: ownerDeptId, depth: dept.depth });
      }
    }
    for (const sub of await withRetries(() => dingtalk.departmentsUnder(dept.deptId, { signal }), signal)) {
      queue.push({
        deptId: sub.deptId,
        name: sub.name,
        path: dept.path ? `${dept.path} / ${sub.name}` : sub.name,
        depth: dept.depth + 1,
        ownerDeptId,
      });
    }
    if (dept.depth > 0) result.departments++;
    opts.onProgress?.(++done, done + queue.length);
  }
  signal?.throwIfAborted();

  const orgName = new Map(orgs.map((o) => [o.id, o.name]));
  await movePeople(opts, owner, orgOfDept, orgName, result);
  return result;

  async function matchOrg(dept: Walked): Promise<Org | 'ambiguous' | undefined> {
    const linked = byDept.get(String(dept.deptId));
    if (linked) return linked;
    const candidates = unlinkedByName.get(normName(dept.name)) ?? [];
    if (candidates.length > 1) {
      result.ambiguous.push({ ...pick(dept), orgIds: candidates.map((o) => o.id) });
      return 'ambiguous';
    }
    const org = candidates[0];
    if (!org) return undefined;
    unlinkedByName.delete(normName(dept.name));
    if (!opts.dryRun) {
      await prisma.$transaction(async (tx) => {
        await tx.regulatorOrg.update({ where: { id: org.id }, data: { dingDeptId: String(dept.deptId) } });
        await appendAudit(tx, {
          actorKind: 'SYSTEM',
          action: 'org.dingtalk_linked',
          subjectType: 'regulatorOrg',
          subjectId: org.id,
          data: { dingDeptId: String(dept.deptId), deptName: dept.name, path: dept.path },
        });
      });
    }
    result.linked.push({ ...pick(dept), orgId: org.id, orgName: org.name });
    return org;
  }
}

function pick(d: Walked): SeenDepartment {
  return { deptId: d.deptId, name: d.name, path: d.path };
}

async function movePeople(
  opts: SyncDepartmentsOptions,
  owner: Map<string, { deptId: number; depth: number }>,
  orgOfDept: Map<number, string>,
  orgName: Map<string, string>,
  result: SyncDepartmentsResult,
): Promise<void> {
  const { prisma } = opts;
  // Raw SQL: the PGlite adapter mis-sends enum-array parameters (hasSome), and this must run there too.
  const people = await prisma.$queryRawUnsafe<
    Array<{ id: string; name: string; orgId: string | null; dingUserId: string }>
  >(
    `SELECT id, name, "orgId", "dingUserId" FROM "Person"
      WHERE active AND "dingUserId" IS NOT NULL AND roles && ARRAY['REGULATOR','LEADER']::"PersonRole"[]
      ORDER BY id`,
  );
  for (const p of people) {
    const dept = owner.get(p.dingUserId);
    if (!dept) {
      result.notFound.push({ personId: p.id, name: p.name });
      continue;
    }
    const toOrgId = orgOfDept.get(dept.deptId)!;
    if (p.orgId === toOrgId) continue;
    if (!opts.dryRun) {
      await prisma.$transaction(async (tx) => {
        await tx.person.update({ where: { id: p.id }, data: { orgId: toOrgId } });
        await appendAudit(tx, {
          actorKind: 'SYSTEM',
          action: 'person.org_synced',
          subjectType: 'person',
          subjectId: p.id,
          data: { before: { orgId: p.orgId }, after: { orgId: toOrgId }, dingDeptId: String(dept.deptId) },
        });
      });
    }
    result.moved.push({
      personId: p.id,
      name: p.name,
      fromOrgId: p.orgId,
      toOrgId,
      deptId: dept.deptId,
      fromOrgName: p.orgId ? (orgName.get(p.orgId) ?? p.orgId) : null,
      toOrgName: orgName.get(toOrgId)!,
    });
  }
  const known = new Set(
    (
      await prisma.person.findMany({ where: { dingUserId: { in: [...owner.keys()] } }, select: { dingUserId: true } })
    ).map((p) => p.dingUserId!),
  );
  result.unknownUserIds = [...owner.keys()].filter((u) => !known.has(u)).sort();
}

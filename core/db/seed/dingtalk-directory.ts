// The directory as the DingTalk simulator serves it: the people with a DingTalk account and the
// bureaus as departments (app/embedded.ts loads them at every start of the embedded mode).
import { revealMobile, type DataKey } from '../../crypto';
import type { PrismaClient } from '../generated/client';
import type { PersonRole } from '../generated/enums';

/** One DingTalk user of the directory the simulator serves. */
export interface DirectoryEntry {
  personId: string;
  dingUserId: string;
  unionId: string | null;
  name: string;
  /** Decrypted: the simulator's directory needs it (userid/getbymobile). */
  mobile: string | null;
  title: string | null;
  roles: PersonRole[];
  /** Department-like grouping: the bureau, unit or agency name. */
  deptName: string | null;
  /** The bureau of a regulator or leader (a department of the simulated org). */
  orgId: string | null;
}

/** Everyone with a dingUserId, with clear-text mobile, to load the DingTalk simulator's directory. */
export async function listDirectoryForDingTalk(prisma: PrismaClient, dataKey: DataKey): Promise<DirectoryEntry[]> {
  const rows = await prisma.person.findMany({
    where: { dingUserId: { not: null }, active: true },
    orderBy: { dingUserId: 'asc' },
    select: {
      id: true,
      name: true,
      title: true,
      roles: true,
      dingUserId: true,
      dingUnionId: true,
      mobileEnc: true,
      orgId: true,
      org: { select: { name: true } },
      unit: { select: { name: true } },
      agency: { select: { name: true } },
    },
  });
  return rows.map((p) => ({
    personId: p.id,
    dingUserId: p.dingUserId!,
    unionId: p.dingUnionId,
    name: p.name,
    mobile: p.mobileEnc ? revealMobile(dataKey, p.mobileEnc) : null,
    title: p.title,
    roles: p.roles,
    deptName: p.org?.name ?? p.unit?.name ?? p.agency?.name ?? null,
    orgId: p.orgId,
  }));
}

/** The bureaus, parents before children, to load as the simulated org's departments. */
export async function listOrgsForDingTalk(
  prisma: PrismaClient,
): Promise<Array<{ id: string; name: string; parentId: string | null }>> {
  const orgs = await prisma.regulatorOrg.findMany({
    select: { id: true, name: true, parentId: true },
    orderBy: [{ regionCode: 'asc' }, { id: 'asc' }],
  });
  const out: typeof orgs = [];
  const placed = new Set<string>();
  let level = orgs.filter((o) => !o.parentId || !orgs.some((x) => x.id === o.parentId));
  while (level.length > 0) {
    for (const o of level) placed.add(o.id);
    out.push(...level);
    level = orgs.filter((o) => !placed.has(o.id) && o.parentId && placed.has(o.parentId));
  }
  return out;
}

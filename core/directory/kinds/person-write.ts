// Writing people rows (person.kind.ts): matched by the mobile's blind index under every known key,
// refused when the mobile or ID number belongs to someone else, roles of other files kept.
import { blindIndexes, maskName, mobileBlindIndexes, protectIdNumber, protectMobile } from '../../crypto';
import type { PersonRole, Prisma, Tx } from '../../db';
import type { Person } from '../../db/generated/client';
import type { ValidRow, WriteContext, WriteResult } from '../types';
import { C, type PersonRecord } from './person-columns';
import { differs } from './shared';

/** Where a row belongs. */
interface Resolved {
  unitId: string | null;
  agencyId: string | null;
  orgId: string | null;
}

/** Finds where each row belongs (its unit, agency or bureau), or why it cannot. */
export type Resolver = (
  tx: Tx,
  rows: Array<ValidRow<PersonRecord>>,
) => Promise<{ resolve(r: PersonRecord): Resolved | string; audit?: Record<string, unknown> }>;

/** Writes one batch of people; `regulator` files link people to bureaus, others to units and agencies. */
export async function writePeople(
  tx: Tx,
  rows: Array<ValidRow<PersonRecord>>,
  ctx: WriteContext,
  owned: PersonRole[],
  resolver: Resolver,
  regulator: boolean,
): Promise<WriteResult> {
  const result: WriteResult = { created: 0, updated: 0, unchanged: 0, rejects: [] };
  // Look-ups match the blind index under every known key, so that rows a key rotation has not
  // reached yet are found (and moved to the current key when written).
  const hashOf = new Map(rows.map((r) => [r.row, mobileBlindIndexes(ctx.dataKey, r.record.mobile)]));
  const existing = byAnyHash(
    await tx.person.findMany({ where: { mobileHash: { in: [...hashOf.values()].flat() } } }),
    (p) => p.mobileHash,
  );
  const idHashOf = new Map<number, string[]>();
  for (const r of rows)
    if (r.record.idNumber) idHashOf.set(r.row, blindIndexes(ctx.dataKey, 'idNumber', r.record.idNumber));
  const idHolders = byAnyHash(
    await tx.person.findMany({
      where: { idNumberHash: { in: [...idHashOf.values()].flat() } },
      select: { id: true, idNumberHash: true, name: true },
    }),
    (p) => p.idNumberHash,
  );
  const { resolve, audit } = await resolver(tx, rows);
  result.audit = audit;
  const toCreate: Prisma.PersonCreateManyInput[] = [];
  for (const { row, record: r } of rows) {
    const mobileHashes = hashOf.get(row)!;
    const where = resolve(r);
    if (typeof where === 'string') {
      result.rejects.push({ row, reason: where });
      continue;
    }
    const current: Person | undefined = firstOf(existing, mobileHashes);
    if (current && current.name !== r.name) {
      result.rejects.push({
        row,
        reason: `【${C.mobile}】该手机号已登记给另一人（${maskName(current.name)}），请核对姓名或手机号`,
      });
      continue;
    }
    const idHashes = idHashOf.get(row);
    const holder = idHashes ? firstOf(idHolders, idHashes) : undefined;
    if (holder && holder.id !== current?.id) {
      result.rejects.push({ row, reason: `【${C.idNumber}】该身份证号已登记给另一人（${maskName(holder.name)}）` });
      continue;
    }
    const roles = [...(current?.roles.filter((x) => !owned.includes(x)) ?? []), ...r.roles];
    const data = {
      name: r.name,
      title: r.title ?? null,
      roles,
      ...(regulator ? { orgId: where.orgId } : { unitId: where.unitId, agencyId: where.agencyId }),
    };
    // The same ID number under an old key is unchanged too: moving it is `keys rotate`'s work.
    const idCols =
      r.idNumber && !idHashes!.includes(current?.idNumberHash ?? '') ? protectIdNumber(ctx.dataKey, r.idNumber) : {};
    if (!current) {
      toCreate.push({ ...data, ...protectMobile(ctx.dataKey, r.mobile), ...idCols });
    } else if (differs(current, data) || 'idNumberEnc' in idCols) {
      await tx.person.update({ where: { id: current.id }, data: { ...data, ...idCols } });
      result.updated++;
    } else result.unchanged++;
  }
  if (toCreate.length > 0)
    result.created = (await tx.person.createMany({ data: toCreate, skipDuplicates: true })).count;
  return result;
}

/** Indexes rows by a hash column. */
function byAnyHash<T>(rows: T[], hashOf: (row: T) => string | null): Map<string, T> {
  const m = new Map<string, T>();
  for (const r of rows) {
    const h = hashOf(r);
    if (h) m.set(h, r);
  }
  return m;
}

/** The first row found under any of the hashes (current key first). */
function firstOf<T>(m: Map<string, T>, hashes: readonly string[]): T | undefined {
  for (const h of hashes) {
    const r = m.get(h);
    if (r) return r;
  }
  return undefined;
}

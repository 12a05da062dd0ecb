// Tamper-evident audit log. Every state change appends one AuditEvent in the caller's transaction;
// each event's hash = sha256(prevHash + canonical JSON of the event), so changing, removing or
// reordering any committed event breaks every later link (verifyAuditChain finds the first one).
//
// Writers are serialised with a transaction-scoped advisory lock (Postgres and PGlite alike): the
// chain head read and the insert happen under the lock, which is held until the caller commits,
// so two transactions can never both link to the same predecessor. That lock serialises every
// writer until commit: call appendAudit as the last statement of a busy transaction (card clicks,
// approvals), so that the lock covers two statements and the commit, not the whole transaction.
// Limits, on purpose: the chain proves order and integrity, not secrecy; someone able to rewrite
// the whole table can recompute it, and cutting the newest events off is only visible against a
// head hash kept elsewhere (log lines "audit head" or an export).
import { createHash } from 'node:crypto';
import type { PrismaClient, Prisma } from '../db/generated/client';
import type { ActorKind } from '../db/generated/enums';
import { canonicalJson, toJsonValue, type JsonValue } from './canonical-json';

type Tx = Prisma.TransactionClient;

/** prevHash of the first event. */
export const GENESIS_HASH = '0'.repeat(64);

/** Advisory lock key of the audit chain (distinct from Prisma's migration lock 72707369). */
export const AUDIT_LOCK_KEY = 7461742001;

/** What a caller records. */
export interface AuditInput {
  actorKind: ActorKind;
  actorPersonId?: string | null;
  /** Dotted verb, e.g. "hazard.acknowledged". */
  action: string;
  subjectType: string;
  subjectId: string;
  /** Facts of the change (ids, old/new status...). Never personal data in clear. */
  data?: unknown;
}

/** The fields covered by the hash. */
interface HashedEvent {
  at: Date;
  actorKind: string;
  actorPersonId: string | null;
  action: string;
  subjectType: string;
  subjectId: string;
  data: unknown;
}

/** sha256 hex of prevHash + canonical JSON of the event. */
export function auditHash(prevHash: string, e: HashedEvent): string {
  const body = canonicalJson({
    at: e.at.toISOString(),
    actorKind: e.actorKind,
    actorPersonId: e.actorPersonId,
    action: e.action,
    subjectType: e.subjectType,
    subjectId: e.subjectId,
    data: e.data,
  });
  return createHash('sha256')
    .update(prevHash + body, 'utf8')
    .digest('hex');
}

/** Appends one event to the chain inside the caller's transaction; returns its id and hash. */
export async function appendAudit(tx: Tx, input: AuditInput): Promise<{ id: bigint; hash: string }> {
  await tx.$executeRawUnsafe(`SELECT pg_advisory_xact_lock(${AUDIT_LOCK_KEY})`);
  const head = await tx.auditEvent.findFirst({ orderBy: { id: 'desc' }, select: { hash: true } });
  const prevHash = head?.hash ?? GENESIS_HASH;
  const data: JsonValue = toJsonValue(input.data ?? {});
  const event: HashedEvent = {
    at: new Date(),
    actorKind: input.actorKind,
    actorPersonId: input.actorPersonId ?? null,
    action: input.action,
    subjectType: input.subjectType,
    subjectId: input.subjectId,
    data,
  };
  const hash = auditHash(prevHash, event);
  const row = await tx.auditEvent.create({
    data: {
      at: event.at,
      actorKind: input.actorKind,
      actorPersonId: event.actorPersonId,
      action: event.action,
      subjectType: event.subjectType,
      subjectId: event.subjectId,
      data: data as Prisma.InputJsonValue,
      prevHash,
      hash,
    },
    select: { id: true },
  });
  return { id: row.id, hash };
}

/** Outcome of a chain check. */
export interface AuditChainReport {
  ok: boolean;
  /** Events checked (up to and including the broken one). */
  checked: number;
  /** Id (as a string: bigint is not JSON) of the first event whose link or hash is wrong. */
  brokenAt?: string;
  reason?: 'PREV_HASH_MISMATCH' | 'HASH_MISMATCH';
  /** Hash of the last event checked: keep it elsewhere to detect truncation later. */
  headHash: string;
}

/** Walks the whole chain in id order, in batches, recomputing every hash. */
export async function verifyAuditChain(
  prisma: PrismaClient | Tx,
  opts: { batchSize?: number } = {},
): Promise<AuditChainReport> {
  const take = opts.batchSize ?? 1000;
  let prev = GENESIS_HASH;
  let checked = 0;
  let cursor: bigint | undefined;
  for (;;) {
    const rows = await prisma.auditEvent.findMany({
      where: cursor === undefined ? {} : { id: { gt: cursor } },
      orderBy: { id: 'asc' },
      take,
    });
    for (const r of rows) {
      checked++;
      if (r.prevHash !== prev) {
        return { ok: false, checked, brokenAt: r.id.toString(), reason: 'PREV_HASH_MISMATCH', headHash: prev };
      }
      if (auditHash(prev, r) !== r.hash) {
        return { ok: false, checked, brokenAt: r.id.toString(), reason: 'HASH_MISMATCH', headHash: prev };
      }
      prev = r.hash;
    }
    if (rows.length < take) return { ok: true, checked, headHash: prev };
    cursor = rows[rows.length - 1]!.id;
  }
}

// Naming, cancelling and listing delegations (委托). A regulator or leader names a deputy of their
// own bureau who shares their approver role, for whole days (Asia/Shanghai, at most 90). Refused,
// with nothing written: a deputy outside the bureau or without the role, oneself, a range in the
// past or backwards, two delegations of one person on overlapping days, and any day on which the
// chain from the deputy would lead back to the delegator (A → B while B → A, or longer).
import { z } from 'zod';
import { appendAudit } from '../audit';
import type { PrismaClient, Tx } from '../db';
import type { PersonRole } from '../db/generated/enums';
import { endOfShanghaiDay, shanghaiDate, startOfShanghaiDay } from '../domain/working-days';
import { AppError, ConflictError, NotFoundError, PermissionError, ValidationError } from '../errors';

/** Roles that receive approval and verify tasks. */
const APPROVER_ROLES: readonly PersonRole[] = ['REGULATOR', 'LEADER'];
/** The longest delegation, in days. */
export const DELEGATION_MAX_DAYS = 90;
const DAY_MS = 86_400_000;

/** Stable codes of delegation refusals. */
export const DELEGATION_ERRORS = {
  INVALID: 'DELEGATION_INVALID',
  OVERLAP: 'DELEGATION_OVERLAP',
  LOOP: 'DELEGATION_LOOP',
  NOT_FOUND: 'DELEGATION_NOT_FOUND',
} as const;

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 YYYY-MM-DD');

/** What the mini-app posts. */
export const delegationInputSchema = z.object({
  toPersonId: z.string().min(1, '请选择受托人'),
  startsOn: day,
  endsOn: day,
  reason: z.string().trim().max(100, '事由不超过 100 字').optional(),
});

function invalid(message: string): AppError {
  return new AppError(DELEGATION_ERRORS.INVALID, message, { status: 400 });
}

async function approver(tx: Tx, personId: string) {
  const p = await tx.person.findUnique({
    where: { id: personId },
    select: { id: true, name: true, active: true, roles: true, orgId: true },
  });
  return p && p.active ? p : null;
}

/** Days from `a` to `b` (YYYY-MM-DD, inclusive). */
function days(a: string, b: string): string[] {
  const out: string[] = [];
  for (let t = Date.parse(`${a}T00:00:00Z`); t <= Date.parse(`${b}T00:00:00Z`); t += DAY_MS)
    out.push(new Date(t).toISOString().slice(0, 10));
  return out;
}

/** A delegation as the mini-app lists it. */
export interface DelegationView {
  id: string;
  from: { id: string; name: string };
  to: { id: string; name: string };
  startsOn: string;
  endsOn: string;
  reason: string | null;
  /** 生效中 / 未开始 / 已结束 / 已取消. */
  stateLabel: string;
  cancellable: boolean;
}

type Row = {
  id: string;
  startsAt: Date;
  endsAt: Date;
  reason: string | null;
  cancelledAt: Date | null;
  fromPersonId: string;
  from: { id: string; name: string };
  to: { id: string; name: string };
};

function view(r: Row, now: Date): DelegationView {
  const stateLabel = r.cancelledAt ? '已取消' : r.endsAt < now ? '已结束' : r.startsAt > now ? '未开始' : '生效中';
  return {
    id: r.id,
    from: r.from,
    to: r.to,
    startsOn: shanghaiDate(r.startsAt),
    endsOn: shanghaiDate(r.endsAt),
    reason: r.reason,
    stateLabel,
    cancellable: !r.cancelledAt && r.endsAt >= now,
  };
}

/** Names a deputy for the days given; returns the delegation. */
export async function createDelegation(
  tx: Tx,
  personId: string,
  raw: unknown,
  now = new Date(),
): Promise<DelegationView> {
  const parsed = delegationInputSchema.safeParse(raw);
  if (!parsed.success) throw ValidationError.fromZod(parsed.error, '委托');
  const input = parsed.data;
  const me = await approver(tx, personId);
  if (!me || !me.orgId || !me.roles.some((r) => APPROVER_ROLES.includes(r))) {
    throw new PermissionError('只有执法人员和分管领导可以委托他人审批', 'DELEGATION_NOT_ALLOWED');
  }
  if (input.toPersonId === personId) throw invalid('不能委托给自己');
  const deputy = await approver(tx, input.toPersonId);
  if (!deputy) throw invalid('受托人不存在或已停用');
  const shared = me.roles.filter((r) => APPROVER_ROLES.includes(r) && deputy.roles.includes(r));
  if (deputy.orgId !== me.orgId || shared.length === 0) {
    throw invalid('只能委托给本机构内具有相同审批职责的人员');
  }
  if (input.endsOn < input.startsOn) throw invalid('结束日期不能早于开始日期');
  if (input.endsOn < shanghaiDate(now)) throw invalid('结束日期不能早于今天');
  const span = days(input.startsOn, input.endsOn);
  if (span.length > DELEGATION_MAX_DAYS) throw invalid(`委托期限不超过 ${DELEGATION_MAX_DAYS} 天`);
  const startsAt = startOfShanghaiDay(input.startsOn);
  const endsAt = endOfShanghaiDay(input.endsOn);

  // Every delegation in force on any of these days (one query; the chains are walked in memory).
  const live = await tx.delegation.findMany({
    where: { cancelledAt: null, startsAt: { lte: endsAt }, endsAt: { gte: startsAt } },
    include: { to: { select: { name: true } }, from: { select: { name: true } } },
  });
  const mine = live.find((d) => d.fromPersonId === personId);
  if (mine) {
    throw new ConflictError(
      DELEGATION_ERRORS.OVERLAP,
      `您在 ${shanghaiDate(mine.startsAt)} 至 ${shanghaiDate(mine.endsAt)} 已委托给 ${mine.to.name}，委托日期不能重叠`,
    );
  }
  for (const d of span) {
    const at = startOfShanghaiDay(d);
    const onDay = live.filter((x) => x.startsAt <= endOfShanghaiDay(d) && x.endsAt >= at);
    let current = input.toPersonId;
    for (let hop = 0; hop < 10; hop++) {
      const next = onDay.find((x) => x.fromPersonId === current);
      if (!next) break;
      if (next.toPersonId === personId) {
        throw new ConflictError(
          DELEGATION_ERRORS.LOOP,
          `委托会形成循环：${next.from.name} 在 ${d} 已委托给您，请另选受托人或调整日期`,
        );
      }
      current = next.toPersonId;
    }
  }
  const row = await tx.delegation.create({
    data: { fromPersonId: personId, toPersonId: input.toPersonId, startsAt, endsAt, reason: input.reason ?? null },
    include: { from: { select: { id: true, name: true } }, to: { select: { id: true, name: true } } },
  });
  await appendAudit(tx, {
    actorKind: 'PERSON',
    actorPersonId: personId,
    action: 'delegation.created',
    subjectType: 'delegation',
    subjectId: row.id,
    data: {
      toPersonId: input.toPersonId,
      startsOn: input.startsOn,
      endsOn: input.endsOn,
      reason: input.reason ?? null,
    },
  });
  return view(row, now);
}

/** Cancels one of the person's own delegations that has not ended. */
export async function cancelDelegation(
  tx: Tx,
  personId: string,
  delegationId: string,
  now = new Date(),
): Promise<DelegationView> {
  const row = await tx.delegation.findUnique({
    where: { id: delegationId },
    include: { from: { select: { id: true, name: true } }, to: { select: { id: true, name: true } } },
  });
  if (!row || row.fromPersonId !== personId) throw new NotFoundError(DELEGATION_ERRORS.NOT_FOUND, '该委托不存在');
  if (row.cancelledAt) throw new ConflictError('DELEGATION_CANCELLED', '该委托已取消，无需重复操作');
  if (row.endsAt < now) throw new ConflictError('DELEGATION_ENDED', '该委托已结束，无法取消');
  const updated = await tx.delegation.update({
    where: { id: row.id },
    data: { cancelledAt: now },
    include: { from: { select: { id: true, name: true } }, to: { select: { id: true, name: true } } },
  });
  await appendAudit(tx, {
    actorKind: 'PERSON',
    actorPersonId: personId,
    action: 'delegation.cancelled',
    subjectType: 'delegation',
    subjectId: row.id,
    data: { toPersonId: row.toPersonId },
  });
  return view(updated, now);
}

/** The person's delegations, given and received, newest first. */
export async function listDelegations(
  prisma: PrismaClient | Tx,
  personId: string,
  now = new Date(),
): Promise<{ given: DelegationView[]; received: DelegationView[] }> {
  const include = { from: { select: { id: true, name: true } }, to: { select: { id: true, name: true } } };
  const [given, received] = await Promise.all([
    prisma.delegation.findMany({ where: { fromPersonId: personId }, include, orderBy: { startsAt: 'desc' }, take: 50 }),
    prisma.delegation.findMany({ where: { toPersonId: personId }, include, orderBy: { startsAt: 'desc' }, take: 50 }),
  ]);
  return { given: given.map((r) => view(r, now)), received: received.map((r) => view(r, now)) };
}

/** Who the person may name as deputy: active people of their bureau sharing an approver role. */
export async function delegationCandidates(
  prisma: PrismaClient | Tx,
  personId: string,
): Promise<Array<{ id: string; name: string }>> {
  const me = await prisma.person.findUnique({ where: { id: personId }, select: { orgId: true, roles: true } });
  if (!me?.orgId) return [];
  const people = await prisma.person.findMany({
    where: { orgId: me.orgId, active: true, id: { not: personId } },
    select: { id: true, name: true, roles: true },
    orderBy: { name: 'asc' },
  });
  return people
    .filter((p) => p.roles.some((r) => APPROVER_ROLES.includes(r) && me.roles.includes(r)))
    .map((p) => ({ id: p.id, name: p.name }));
}

// Who does a task while its owner is away (委托, docs/approval-operations.md "委托"): a person's
// delegation in force at the moment the task is handed out sends it to their deputy, and on along
// a chain (A → B while B → C gives C), as long as the deputy is active and holds the task's role.
// Tasks already handed out stay where they are.
import type { Tx } from '../db';
import type { PersonRole } from '../db/generated/enums';

/** One delegation applied to a task: who it was for, who got it, through which delegations. */
export type AppliedDelegation = {
  fromPersonId: string;
  toPersonId: string;
  delegationIds: string[];
};

/** How far a chain is followed (a loop cannot be stored; this guards the reader anyway). */
const MAX_HOPS = 10;

/** Delegations in force at `at` from any of `personIds`, keyed by the delegator. */
async function inForce(tx: Tx, personIds: string[], at: Date) {
  const rows = await tx.delegation.findMany({
    where: { fromPersonId: { in: personIds }, cancelledAt: null, startsAt: { lte: at }, endsAt: { gte: at } },
    include: { to: { select: { id: true, active: true, roles: true } } },
  });
  return new Map(rows.map((r) => [r.fromPersonId, r]));
}

/**
 * The people who get a task meant for `personIds` (in order, without duplicates), and the
 * delegations that moved it. A deputy who is inactive or lacks `role` leaves the task where it is.
 */
export async function applyDelegations(
  tx: Tx,
  personIds: string[],
  opts: { role: PersonRole; at: Date },
): Promise<{ personIds: string[]; applied: AppliedDelegation[] }> {
  const out: string[] = [];
  const applied: AppliedDelegation[] = [];
  for (const original of personIds) {
    let current = original;
    const via: string[] = [];
    const seen = new Set([original]);
    for (let hop = 0; hop < MAX_HOPS; hop++) {
      const d = (await inForce(tx, [current], opts.at)).get(current);
      if (!d || !d.to.active || !d.to.roles.includes(opts.role) || seen.has(d.toPersonId)) break;
      via.push(d.id);
      seen.add(d.toPersonId);
      current = d.toPersonId;
    }
    if (via.length > 0) applied.push({ fromPersonId: original, toPersonId: current, delegationIds: via });
    if (!out.includes(current)) out.push(current);
  }
  return { personIds: out, applied };
}

// The scope of a person who acts outside a signed-in request (a chat command to the robot): the
// same policy table and scope rules as the mini-app's middleware, so chat shows no more and no
// less than the pages do.
import type { Tx } from '../db';
import type { Person } from '../db/generated/client';
import type { Action } from './policy';
import { scopeFor, scopeUnitWhere } from './scope';

/** Prisma `where` on Unit for the units `person` reaches with `action`; null when none. */
export async function personUnitWhere(
  tx: Tx,
  person: Pick<Person, 'id' | 'name' | 'roles' | 'unitId' | 'orgId' | 'agencyId'>,
  action: Action,
): Promise<ReturnType<typeof scopeUnitWhere>> {
  const org = person.orgId
    ? await tx.regulatorOrg.findUnique({ where: { id: person.orgId }, select: { regionCode: true } })
    : null;
  const scope = scopeFor(
    {
      kind: 'person',
      id: person.id,
      name: person.name,
      roles: person.roles,
      unitId: person.unitId,
      orgId: person.orgId,
      agencyId: person.agencyId,
      orgRegionCode: org?.regionCode ?? null,
    },
    action,
  );
  return scopeUnitWhere(scope);
}

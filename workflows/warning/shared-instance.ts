// The whole of one shared warning card (issue #20) as notify.card-update sends it (#19 item 3), in
// one update call: the shared part rendered once and every recipient's own part (a few variables
// from their unit's fields, no render per recipient), built from the record when the update goes out.
// Updates of a shared card go one at a time and spaced like any card's (card-update.job.ts), so a
// burst of answers from the units on one card becomes a few updates, each showing all of them.
import { sharedWarningData, UNIT_SUBJECT, warningCardBase } from '../../core/warning/warning-cards';
import type { CardStatus } from '../../core/domain/card-state';
import type { CardPayload } from '../../templates';
import type { WorkflowDeps } from '../deps';
import { personalPrivateData, type CardUpdateData } from '../notify/shared-card';

/** The copies (SENT deliveries) on one shared card instance, with their recipients' userIds. */
async function copiesOn(deps: Pick<WorkflowDeps, 'prisma'>, outTrackId: string) {
  // The copies carry the instance's outTrackId as externalId (indexed): a province's warning puts
  // 122,403 rows under one batchKey, which a lookup per card must not scan.
  return deps.prisma.$queryRaw<
    Array<{ id: string; subjectId: string; data: { status?: CardStatus } & Record<string, unknown>; address: string }>
  >`
    SELECT d.id, d."subjectId", d.data, p."dingUserId" AS address
      FROM "Delivery" d JOIN "Person" p ON p.id = d."recipientPersonId"
     WHERE d."externalId" = ${outTrackId}
       AND d."subjectType" = ${UNIT_SUBJECT} AND d.channel = 'CARD_SHARED' AND d.status = 'SENT'
       AND p."dingUserId" IS NOT NULL`;
}

/** The update of one shared warning card as the record stands now, or undefined when it has no copy. */
export async function sharedWarningCardUpdate(
  deps: Pick<WorkflowDeps, 'prisma' | 'render'>,
  outTrackId: string,
  now = new Date(),
): Promise<CardUpdateData | undefined> {
  const copies = await copiesOn(deps, outTrackId);
  if (copies.length === 0) return undefined;
  const warningId = copies[0]!.subjectId.split('|')[0]!;
  const b = await warningCardBase(deps.prisma, warningId);
  const shared = deps.render(
    'lightning-warning',
    sharedWarningData(b, now, copies[0]!.data.status),
    'CARD',
  ) as CardPayload;
  const own = await personalPrivateData(
    deps,
    'lightning-warning',
    copies.map((c) => ({ deliveryId: c.id, address: c.address, subjectId: c.subjectId, data: c.data })),
    now,
  );
  return {
    cardParamMap: shared.cardParamMap,
    privateData: Object.fromEntries(Object.entries(own).map(([u, p]) => [u, p.cardParamMap])),
  };
}

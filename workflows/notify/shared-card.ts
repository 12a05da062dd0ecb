// Sending a shared interactive card (issue #20, core/outbox/shared-card.ts): the batch's rows carry the shared message,
// rendered once; each recipient's own part comes from the record (level-triggered, like a card refresh: a unit that
// answered before its card went out is shown as answered) as a few card variables in their private data, never a card
// rendered per recipient. The instance and its recipients are recorded before the create call.
import type { PrismaClient, Tx } from '../../core/db';
import { sharedOutTrackId, SHARED_SUBJECT } from '../../core/outbox/shared-card';
import { personalCardData } from '../../core/warning/warning-cards';
import type { Recipient, SendOutcome } from '../../bot/channels/channel';
import type { CardPayload } from '../../templates';
import { lightningWarningOwnParams } from '../../templates/notices/lightning-warning';
import type { WorkflowDeps } from '../deps';

/**
 * Each recipient's private data on a shared card, by template kind: their own few fields from the
 * record (level-triggered) turned into the card variables that differ between recipients, without
 * rendering a card per recipient. Keyed by delivery id.
 */
type PersonalParams = (
  tx: Tx,
  rows: ReadonlyArray<{ id: string; subjectId: string | null; data: unknown }>,
  now: Date,
) => Promise<Map<string, Record<string, string>>>;

const PERSONAL: Record<string, PersonalParams> = {
  'lightning-warning': async (tx, rows, now) => {
    const own = await personalCardData(tx, rows, now);
    return new Map([...own].map(([id, part]) => [id, lightningWarningOwnParams(part)]));
  },
};

/** What one update of a card carries: its public data and the recipients' own data by userId. */
export interface CardUpdateData {
  cardParamMap: Record<string, string>;
  privateData?: Record<string, Record<string, string>>;
}

/**
 * Private data of the recipients of one shared card, keyed by their DingTalk userId:
 * `privateData {<userId>: PrivateDataValue {cardParamMap}}` of card_1_0 CreateAndDeliverRequest and
 * UpdateCardRequest (docs/dingtalk-wire.md).
 */
export async function personalPrivateData(
  deps: { prisma: PrismaClient },
  template: string,
  people: ReadonlyArray<{ deliveryId: string; address: string; subjectId: string | null; data: unknown }>,
  now = new Date(),
): Promise<Record<string, { cardParamMap: Record<string, string> }>> {
  const build = PERSONAL[template];
  if (!build || people.length === 0) return {};
  const rows = people.map((p) => ({ id: p.deliveryId, subjectId: p.subjectId, data: p.data }));
  // Reads only: no transaction (its BEGIN and COMMIT would be two more round trips a card).
  const personal = await build(deps.prisma, rows, now);
  const out: Record<string, { cardParamMap: Record<string, string> }> = {};
  for (const p of people) {
    const own = personal.get(p.deliveryId);
    if (own) out[p.address] = { cardParamMap: own };
  }
  return out;
}

/**
 * Prepares a batch's shared card: one outTrackId for all, each recipient's private data, and the
 * instance with its recipients recorded before the call.
 */
export async function prepareSharedCard(
  deps: WorkflowDeps,
  rows: ReadonlyArray<{ id: string; template: string; subjectId: string | null; data: unknown }>,
  recipients: Recipient[],
  card: CardPayload,
): Promise<CardPayload> {
  const outTrackId = sharedOutTrackId(recipients.map((r) => r.deliveryId));
  for (const r of recipients) r.outTrackId = outTrackId;
  const byId = new Map(rows.map((r) => [r.id, r]));
  const template = rows[0]!.template;
  const privateData = await personalPrivateData(
    deps,
    template,
    recipients.map((r) => ({ deliveryId: r.deliveryId, address: r.address, ...byId.get(r.deliveryId)! })),
  );
  // One statement: the instance (kept as it is on a retry) and its recipients. Not yet live: an
  // update asked for meanwhile waits for DingTalk to have it (recordSharedCard).
  await deps.prisma.$executeRaw`
    WITH card AS (
      INSERT INTO "CardInstance" ("outTrackId", kind, "subjectType", "subjectId", "templateId", data, live, "updatedAt")
      VALUES (${outTrackId}, ${template}, ${SHARED_SUBJECT}, ${outTrackId}, ${card.templateId},
              ${JSON.stringify(card.cardParamMap)}::jsonb, false, now())
      ON CONFLICT ("outTrackId") DO NOTHING
    )
    UPDATE "Delivery" SET "externalId" = ${outTrackId}, "updatedAt" = now()
     WHERE id = ANY(${recipients.map((r) => r.deliveryId)}::text[])`;
  return { ...card, privateData };
}

/**
 * After the create call: an instance DingTalk has becomes live and gets the update asked for
 * meanwhile; one nobody received is forgotten; one whose create will be retried stays as it is.
 */
export async function recordSharedCard(
  deps: Pick<WorkflowDeps, 'prisma'>,
  outTrackId: string | undefined,
  outcomes: readonly SendOutcome[],
  schedule: (outTrackId: string) => Promise<void>,
): Promise<void> {
  if (!outTrackId) return;
  const mine = outcomes.filter((o) => o.externalId === outTrackId);
  if (mine.some((o) => o.status === 'sent')) {
    const [card] = await deps.prisma.cardInstance.updateManyAndReturn({
      where: { outTrackId, live: false },
      data: { live: true },
      select: { refreshWanted: true },
    });
    if (card && card.refreshWanted > 0) await schedule(outTrackId);
  } else if (mine.length > 0 && mine.every((o) => o.status === 'failed')) {
    await deps.prisma.cardInstance.deleteMany({ where: { outTrackId, live: false } });
  }
}

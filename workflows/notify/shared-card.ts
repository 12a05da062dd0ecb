// Sending and updating a shared interactive card (issue #20, core/outbox/shared-card.ts): the batch's
// rows carry the shared message; each recipient's own part comes from the record (level-triggered,
// like a card refresh: a unit that answered before its card went out is shown as answered) and goes
// into their private data. The instance and its recipients are recorded before the create call,
// not yet live; once DingTalk has it, updates asked for meanwhile are sent. Every later change (an
// answer, an update, the cancellation) is one notify.card-update of the whole instance, built from
// the record when it is sent: one update at a time per instance, so a late one never shows an older
// state than the one before it.
import type { PrismaClient, Tx } from '../../core/db';
import { personalPart, sharedOutTrackId, SHARED_SUBJECT } from '../../core/outbox/shared-card';
import type { CardStatus } from '../../core/domain/card-state';
import {
  parseUnitSubject,
  personalCardData,
  sharedWarningData,
  warningCardBase,
} from '../../core/warning/warning-cards';
import type { Recipient, SendOutcome } from '../../bot/channels/channel';
import type { CardPayload } from '../../templates';
import type { WorkflowDeps } from '../deps';

/** A recipient's copy of a shared card: their delivery row. */
interface Copy {
  id: string;
  subjectId: string | null;
  data: unknown;
}

/** Each recipient's own card data on a shared card, by template kind; keyed by delivery id. */
export type PersonalDataBuilder = (
  tx: Tx,
  rows: readonly Copy[],
  now: Date,
) => Promise<Map<string, Record<string, unknown>>>;

/** The data every recipient shares on an instance, from its copies, by template kind. */
type SharedDataBuilder = (tx: Tx, rows: readonly Copy[], now: Date) => Promise<Record<string, unknown>>;

const PERSONAL: Record<string, PersonalDataBuilder> = {
  'lightning-warning': personalCardData,
};

const SHARED: Record<string, SharedDataBuilder> = {
  // The warning as it is now; a reminder's call line stays on the instance it was sent with.
  'lightning-warning': async (tx, rows, now) => {
    const first = rows.find((r) => r.subjectId)!;
    const b = await warningCardBase(tx, parseUnitSubject(first.subjectId!).warningId);
    return sharedWarningData(b, now, (first.data as { status?: CardStatus } | null)?.status);
  },
};

/** Private data of the recipients of one shared card, keyed by their DingTalk userId. */
export async function personalPrivateData(
  deps: Pick<WorkflowDeps, 'render'> & { prisma: PrismaClient },
  template: string,
  shared: CardPayload,
  people: ReadonlyArray<{ deliveryId: string; address: string; subjectId: string | null; data: unknown }>,
  now = new Date(),
): Promise<Record<string, { cardParamMap: Record<string, string> }>> {
  const build = PERSONAL[template];
  if (!build || people.length === 0) return {};
  const rows = people.map((p) => ({ id: p.deliveryId, subjectId: p.subjectId, data: p.data }));
  const personal = await deps.prisma.$transaction((tx) => build(tx, rows, now));
  const out: Record<string, { cardParamMap: Record<string, string> }> = {};
  for (const p of people) {
    const data = personal.get(p.deliveryId);
    if (!data) continue;
    const own = deps.render(template, data, 'CARD') as CardPayload;
    out[p.address] = { cardParamMap: personalPart(own.cardParamMap, shared.cardParamMap) };
  }
  return out;
}

/**
 * Prepares a batch's shared card: one outTrackId for all, each recipient's private data, and the
 * instance (not yet live) with its recipients recorded before the call.
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
    card,
    recipients.map((r) => ({ deliveryId: r.deliveryId, address: r.address, ...byId.get(r.deliveryId)! })),
  );
  await deps.prisma.$transaction([
    deps.prisma.cardInstance.upsert({
      where: { outTrackId },
      create: {
        outTrackId,
        kind: template,
        subjectType: SHARED_SUBJECT,
        subjectId: outTrackId,
        templateId: card.templateId,
        data: card.cardParamMap,
        live: false,
      },
      update: {},
    }),
    deps.prisma.delivery.updateMany({
      where: { id: { in: recipients.map((r) => r.deliveryId) } },
      data: { externalId: outTrackId },
    }),
  ]);
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

/** A shared instance as it is now: the shared data, and every recipient's own part in private data. */
export async function sharedCardPayload(deps: WorkflowDeps, outTrackId: string, kind: string): Promise<CardPayload> {
  const copies = await deps.prisma.$queryRaw<Array<Copy & { address: string }>>`
    SELECT d.id, d."subjectId", d.data, p."dingUserId" AS address
      FROM "Delivery" d JOIN "Person" p ON p.id = d."recipientPersonId"
     WHERE d."externalId" = ${outTrackId} AND d.channel = 'CARD_SHARED' AND d.status = 'SENT'
       AND p."dingUserId" IS NOT NULL`;
  const build = SHARED[kind];
  if (!build || copies.length === 0) throw new SharedCardGone(outTrackId);
  const now = new Date();
  const data = await deps.prisma.$transaction((tx) => build(tx, copies, now));
  const shared = deps.render(kind, data, 'CARD') as CardPayload;
  const privateData = await personalPrivateData(
    deps,
    kind,
    shared,
    copies.map((c) => ({ deliveryId: c.id, address: c.address, subjectId: c.subjectId, data: c.data })),
    now,
  );
  return { ...shared, privateData };
}

/** A shared instance with no copy left to show (or of a kind that is never updated). */
export class SharedCardGone extends Error {
  constructor(outTrackId: string) {
    super(`shared card ${outTrackId} has no copy to update`);
  }
}

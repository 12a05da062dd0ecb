// The soak's checker (issue #25 item 3): what the driver did and the record LeiGuard kept, against
// what the simulated DingTalk saw. Counts, each with the examples that make it up (for the log):
//   lost              flows that gave up, writes answered but not on record, accepted 「收到」 not on
//                     record, digests not queued, deliveries not SENT, SENT ones DingTalk never saw;
//   duplicate_cards   a card created twice (same outTrackId to the same chat), or two cards of one
//                     kind about one subject to one person;
//   duplicate_messages  a message DingTalk showed that no SENT delivery names (sent by a call whose
//                     outcome was lost, then sent again), or the same message shown twice;
//   undecided_clicks  accepted clicks whose decision is not on record, clicks still pending;
//   timers_missed     timers due for a minute and still pending, and timers that failed.
import { verifyAuditChain } from '../core/audit';
import type { PrismaClient } from '../core/db';
import type { TestSimulator } from '../test/helpers/simulator';
import type { SoakRecord } from './soak-client';

/** The checker's counts. */
export interface SoakCounts {
  lost: number;
  duplicateCards: number;
  duplicateMessages: number;
  undecidedClicks: number;
  timersMissed: number;
  auditChain: 'ok' | 'broken';
  /** What each count is made of, a line each (printed to stderr). */
  details: string[];
}

interface Message {
  api: string;
  to: Record<string, string>;
  content: unknown;
  outTrackId?: string;
  processQueryKey?: string;
  taskId?: number;
  at: number;
}

const API_OF: Record<string, string> = {
  CARD: 'card.createAndDeliver',
  ROBOT_OTO: 'robot.batchSend',
  WORK_NOTICE: 'workNotice.send',
};

/** Groups by key and returns the groups of more than one. */
function repeated<T>(items: T[], key: (x: T) => string): Array<[string, number]> {
  const n = new Map<string, number>();
  for (const x of items) n.set(key(x), (n.get(key(x)) ?? 0) + 1);
  return [...n].filter(([, c]) => c > 1);
}

async function lostCount(prisma: PrismaClient, messages: Message[], record: SoakRecord, details: string[]) {
  let lost = record.stuck.length;
  for (const s of record.stuck) details.push(`lost: flow stuck: ${s}`);
  const hazards = await prisma.hazard.count({ where: { id: { in: record.hazards } } });
  if (hazards !== new Set(record.hazards).size) details.push(`lost: ${record.hazards.length - hazards} filed hazards`);
  lost += new Set(record.hazards).size - hazards;
  const warnings = await prisma.lightningWarning.count({ where: { id: { in: record.warnings } } });
  lost += record.warnings.length - warnings;
  for (const a of record.warningAcks) {
    if ((await prisma.warningAck.count({ where: { warningId: a.warningId, personId: a.personId } })) === 1) continue;
    lost++;
    details.push(`lost: 「收到」 of ${a.personId} to ${a.warningId}`);
  }
  const leaders = await prisma.person.count({ where: { roles: { has: 'LEADER' } } });
  const digests = await prisma.delivery.count({ where: { purpose: 'digest.daily' } });
  if (digests < record.digests.length * leaders) {
    lost += record.digests.length * leaders - digests;
    details.push(`lost: ${record.digests.length * leaders - digests} digests never written`);
  }
  const unsent = await prisma.delivery.findMany({
    where: { status: { in: ['PENDING', 'SENDING', 'FAILED'] } },
    select: { id: true, purpose: true, status: true, errorCode: true, dingCode: true, idempotencyKey: true },
  });
  // A work notice DingTalk took and then dropped (getsendresult's forbidden list) is FAILED on record
  // and, when statutory, sent again by robot: lost only if that was not sent.
  const resent = new Set(
    (
      await prisma.delivery.findMany({
        where: { idempotencyKey: { in: unsent.map((d) => `${d.idempotencyKey}|resent:ROBOT_OTO`) }, status: 'SENT' },
        select: { idempotencyKey: true },
      })
    ).map((d) => d.idempotencyKey),
  );
  for (const d of unsent) {
    if (d.errorCode === 'WORK_NOTICE_FORBIDDEN' && resent.has(`${d.idempotencyKey}|resent:ROBOT_OTO`)) {
      details.push(`work notice ${d.id} ${d.purpose} dropped by DingTalk (${d.dingCode}), sent again by robot`);
      continue;
    }
    lost++;
    if (lost <= 40)
      details.push(`lost: delivery ${d.id} ${d.purpose} ${d.status} ${d.errorCode ?? ''} ${d.dingCode ?? ''}`);
  }

  // Every SENT delivery DingTalk must have seen, by the id DingTalk gave (cards: our outTrackId).
  const cards = new Set(messages.filter((m) => m.outTrackId).map((m) => `${m.outTrackId}|${m.to.userId ?? ''}`));
  const robot = new Set(messages.filter((m) => m.processQueryKey).map((m) => `${m.processQueryKey}|${m.to.userId}`));
  const notices = new Set(messages.filter((m) => m.taskId !== undefined).map((m) => `${m.taskId}|${m.to.userId}`));
  const sent = await prisma.delivery.findMany({
    where: { status: 'SENT', channel: { in: ['CARD', 'ROBOT_OTO', 'WORK_NOTICE'] } },
    select: {
      id: true,
      channel: true,
      outTrackId: true,
      externalId: true,
      purpose: true,
      recipient: true,
      sentAt: true,
    },
  });
  let unseen = 0;
  for (const d of sent) {
    const user = d.recipient?.dingUserId ?? '';
    const key = `${d.channel === 'CARD' ? d.outTrackId : d.externalId}|${user}`;
    const seen = d.channel === 'CARD' ? cards : d.channel === 'ROBOT_OTO' ? robot : notices;
    if (seen.has(key)) continue;
    unseen++;
    if (unseen > 20) continue;
    const theirs = messages
      .filter((m) => m.to.userId === user && m.api === API_OF[d.channel])
      .map((m) => `${m.taskId ?? m.processQueryKey ?? m.outTrackId}@${new Date(m.at).toISOString().slice(11, 19)}`);
    details.push(
      `lost: delivery ${d.id} ${d.purpose} ${d.channel} ${d.externalId ?? d.outTrackId} to ${user} SENT at ` +
        `${d.sentAt?.toISOString()} but DingTalk never showed it (${API_OF[d.channel]} to them: ${theirs.join(', ')})`,
    );
  }
  details.push(`checked ${sent.length} SENT deliveries against DingTalk's messages`);
  return lost + unseen;
}

async function undecided(prisma: PrismaClient, record: SoakRecord, details: string[]): Promise<number> {
  let n = 0;
  for (const c of record.clicks) {
    const ok =
      c.kind === 'hazard.ack'
        ? (await prisma.hazardAck.count({ where: { hazardId: c.subjectId, personId: c.personId } })) === 1
        : c.kind === 'verify'
          ? (await prisma.hazard.findUnique({ where: { id: c.subjectId } }))?.status === 'CLOSED'
          : (await prisma.approvalClick.count({
              where: { stepId: c.subjectId, personId: c.personId, status: { not: 'PENDING' } },
            })) > 0 && (await prisma.approvalStep.findUnique({ where: { id: c.subjectId } }))?.status !== 'ACTIVE';
    if (ok) continue;
    n++;
    details.push(`undecided: accepted ${c.kind} click of ${c.personId} on ${c.subjectId}`);
  }
  const pending = await prisma.approvalClick.findMany({ where: { status: 'PENDING' } });
  for (const p of pending) details.push(`undecided: approval click ${p.id} still pending`);
  return n + pending.filter((p) => !record.clicks.some((c) => c.subjectId === p.stepId)).length;
}

/** SENT work notices whose recipient DingTalk did not show them (dropped: getsendresult tells). */
export async function unshownWorkNotices(prisma: PrismaClient, sim: TestSimulator): Promise<number> {
  const { messages } = await sim.call<{ messages: Message[] }>('GET', '/__sim/messages?api=workNotice.send');
  const shown = new Set(messages.map((m) => `${m.taskId}|${m.to.userId}`));
  const sent = await prisma.delivery.findMany({
    where: { status: 'SENT', channel: 'WORK_NOTICE' },
    select: { externalId: true, recipient: { select: { dingUserId: true } } },
  });
  return sent.filter((d) => !shown.has(`${d.externalId}|${d.recipient?.dingUserId ?? ''}`)).length;
}

/** Runs every check. */
export async function checkSoak(prisma: PrismaClient, sim: TestSimulator, record: SoakRecord): Promise<SoakCounts> {
  const details: string[] = [];
  const kinds = (k: string) => record.clicks.filter((c) => c.kind === k).length;
  const [closed, overdue, fired] = await Promise.all([
    prisma.hazard.count({ where: { id: { in: record.hazards }, status: 'CLOSED' } }),
    prisma.hazard.count({ where: { id: { in: record.hazards }, status: { in: ['OVERDUE', 'ESCALATED'] } } }),
    prisma.timer.count({ where: { status: 'FIRED' } }),
  ]);
  details.push(
    `mix: ${record.hazards.length} hazards (${closed} closed, ${overdue} overdue or escalated), clicks accepted: ` +
      `${kinds('hazard.ack')} 已知悉, ${kinds('approval')} 整改延期 同意, ${kinds('verify')} 复核通过; ` +
      `${record.warnings.length} warnings, ${record.warningAcks.length} 「收到」; ${record.digests.length} digest days; ` +
      `${fired} timers fired`,
  );
  const { messages } = await sim.call<{ messages: Message[] }>('GET', '/__sim/messages');

  const creates = messages.filter((m) => m.api === 'card.createAndDeliver');
  const twiceCreated = repeated(creates, (m) => `${m.outTrackId}|${JSON.stringify(m.to)}`);
  const cards = await prisma.cardInstance.findMany({
    where: { recipientPersonId: { not: null } },
    select: { kind: true, subjectId: true, recipientPersonId: true },
  });
  const twoCards = repeated(cards, (c) => `${c.kind}|${c.subjectId}|${c.recipientPersonId}`);
  for (const [k, c] of [...twiceCreated, ...twoCards]) details.push(`duplicate card: ${k} ×${c}`);

  // A message DingTalk showed that no SENT delivery names (by the id the call returned) was sent
  // by a call whose outcome was never recorded, and sent again: a duplicate. Messages of APIs
  // without such an id are compared by what they show.
  const recorded = await prisma.delivery.findMany({
    where: { status: 'SENT', channel: { in: ['ROBOT_OTO', 'WORK_NOTICE'] } },
    select: { externalId: true, recipient: { select: { dingUserId: true } } },
  });
  const named = new Set(recorded.map((d) => `${d.externalId}|${d.recipient?.dingUserId ?? ''}`));
  const idOf = (m: Message) =>
    m.api === 'robot.batchSend' ? m.processQueryKey : m.api === 'workNotice.send' ? String(m.taskId) : undefined;
  const plain = messages.filter(
    (m) =>
      !m.api.startsWith('card.') && !m.api.startsWith('todo.') && m.api !== 'chat.user' && m.api !== 'webhook.session',
  );
  const unnamed = plain.filter((m) => idOf(m) !== undefined && !named.has(`${idOf(m)}|${m.to.userId ?? ''}`));
  for (const m of unnamed.slice(0, 20))
    details.push(`duplicate message: ${m.api} to ${JSON.stringify(m.to)}: ${JSON.stringify(m.content).slice(0, 160)}`);
  const twice = repeated(
    plain.filter((m) => idOf(m) === undefined),
    (m) => `${m.api}|${JSON.stringify(m.to)}|${JSON.stringify(m.content)}`,
  );
  for (const [k, c] of twice.slice(0, 20)) details.push(`duplicate message ×${c}: ${k.slice(0, 200)}`);

  const minuteAgo = new Date(Date.now() - 60_000);
  const late = await prisma.timer.findMany({
    where: { OR: [{ status: 'PENDING', dueAt: { lt: minuteAgo } }, { status: 'FAILED' }] },
  });
  for (const t of late)
    details.push(`timer ${t.kind} ${t.subjectId} ${t.status} due ${t.dueAt.toISOString()} ${t.error ?? ''}`);

  const chain = await verifyAuditChain(prisma);
  if (!chain.ok) details.push(`audit chain broken at ${chain.brokenAt}: ${chain.reason}`);
  details.push(`audit chain: ${chain.checked} events checked`);

  return {
    lost: await lostCount(prisma, messages, record, details),
    duplicateCards: twiceCreated.reduce((s, [, c]) => s + c - 1, 0) + twoCards.reduce((s, [, c]) => s + c - 1, 0),
    duplicateMessages: unnamed.length + twice.reduce((s, [, c]) => s + c - 1, 0),
    undecidedClicks: await undecided(prisma, record, details),
    timersMissed: late.length,
    auditChain: chain.ok ? 'ok' : 'broken',
    details,
  };
}

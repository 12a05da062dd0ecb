// The soak's steady mix (issue #25 item 3), as the bureau's people and the 气象台 feed make it:
// hazards filed by regulators, acknowledged by their unit's manager on the card, some with an
// extension (a 整改延期 approval decided on the regulator's card), most rectified with a photo and
// closed on the regulator's verify card, the rest left to go overdue; lightning warnings from the
// feed, answered 「收到」 by most units; the leaders' digest of another day every minute.
import type { Queues } from '../workflows/queues';
import { sleep, type SoakClient } from './soak-client';
import type { SoakWorld } from './soak-world';

/** The feed's token in the soak (WARNING_API_TOKEN of its processes). */
export const SOAK_WARNING_TOKEN = 'soak-warning-feed-token-0123456789';

/** How often each flow starts (ms). */
export const SOAK_RATES = { hazard: 6000, warning: 120_000, digest: 60_000 };

const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(200, 1)]);
const rand = (lo: number, hi: number) => lo + Math.random() * (hi - lo);
const iso = (ms: number) => new Date(ms).toISOString().replace('Z', '+00:00');

/** One hazard from filing to closing (or left open to go overdue). */
async function hazardFlow(c: SoakClient, w: SoakWorld, i: number): Promise<void> {
  const { prisma, record } = c;
  const unit = w.units[i % w.units.length]!;
  const reg = w.regulators[i % w.regulators.length]!;
  const mgr = unit.manager;
  const tag = `SOAK-${i}-${Math.random().toString(36).slice(2, 8)}`;
  const byTag = () => prisma.hazard.findFirst({ where: { description: { contains: tag } }, select: { id: true } });
  const deadline = Date.now() + rand(90_000, 180_000);
  const filed = await c.as(reg, 'POST', '/api/m/hazards', {
    body: {
      unitId: unit.id,
      type: 'EARTH_R',
      grade: 'GENERAL',
      description: `接地电阻超标（${tag}）`,
      deadline: iso(deadline),
    },
    done: async () => (await byTag()) !== null,
  });
  if (filed && filed.status !== 201) throw new Error(`filing answered ${filed.status} ${JSON.stringify(filed.body)}`);
  const hazardId = (filed?.body.hazardId as string | undefined) ?? (await c.waitFor(byTag, 60_000))?.id;
  if (!hazardId) throw new Error(`hazard ${tag} not found after its filing`);
  record.hazards.push(hazardId);

  const alert = await c.card('hazard-alert', hazardId, mgr.id);
  if (!alert) throw new Error(`no hazard-alert card for ${hazardId}`);
  await sleep(rand(1000, 8000));
  const acked = () => prisma.hazardAck.count({ where: { hazardId, personId: mgr.id } }).then((n) => n > 0);
  const ack = { kind: 'hazard.ack' as const, subjectId: hazardId, personId: mgr.id, userId: mgr.userId };
  if (!(await c.click({ ...ack, outTrackId: alert, actionId: 'ack' }, acked)))
    throw new Error(`ack of ${hazardId} not taken`);

  if (Math.random() < 0.3) await extension(c, hazardId, deadline, mgr, reg);
  if (Math.random() < 0.2) return; // left open: reminders, overdue, escalation

  await sleep(rand(5000, 40_000));
  const upload = await c.as(mgr, 'POST', '/api/m/uploads', {
    form: () => {
      const f = new FormData();
      f.append('file', new Blob([PNG], { type: 'image/png' }), 'fix.png');
      return f;
    },
  });
  if (upload?.status !== 201) throw new Error(`upload answered ${upload?.status} ${JSON.stringify(upload?.body)}`);
  const submitted = () => prisma.rectification.findFirst({ where: { hazardId }, select: { id: true } });
  const sub = await c.as(mgr, 'POST', `/api/m/hazards/${hazardId}/rectification`, {
    body: { description: `更换锈蚀接地极并复测（${tag}）`, photos: [{ url: upload.body.url }] },
    done: async () => (await submitted()) !== null,
  });
  if (sub && sub.status !== 201) throw new Error(`rectification answered ${sub.status} ${JSON.stringify(sub.body)}`);
  const rect = await c.waitFor(submitted, 60_000);
  if (!rect) throw new Error(`rectification of ${hazardId} not found`);
  const verify = await c.card('rectification-verify', rect.id, reg.id);
  if (!verify) throw new Error(`no rectification-verify card for ${hazardId}`);
  await sleep(rand(1000, 10_000));
  const closed = () => prisma.hazard.findUnique({ where: { id: hazardId } }).then((h) => h?.status === 'CLOSED');
  const click = { kind: 'verify' as const, subjectId: hazardId, personId: reg.id, userId: reg.userId };
  if (!(await c.click({ ...click, outTrackId: verify, actionId: 'approve' }, closed)))
    throw new Error(`verify of ${hazardId} not taken`);
}

/** 申请延期 and the regulator's 同意 on the 整改延期 approval card. */
async function extension(
  c: SoakClient,
  hazardId: string,
  deadline: number,
  mgr: SoakWorld['regulators'][number],
  reg: SoakWorld['regulators'][number],
): Promise<void> {
  const { prisma } = c;
  const requested = () => prisma.extensionRequest.findFirst({ where: { hazardId } });
  const res = await c.as(mgr, 'POST', `/api/m/hazards/${hazardId}/extension`, {
    body: { reason: '需等待检测机构复测，预约在下周', newDeadline: iso(deadline + 86_400_000) },
    done: async () => (await requested()) !== null,
  });
  if (res && res.status !== 201) return; // e.g. the hazard went overdue meanwhile and may not be extended
  const req = await c.waitFor(requested, 60_000);
  if (!req?.approvalInstanceId) throw new Error(`extension request of ${hazardId} not found`);
  const step = await c.waitFor(
    () => prisma.approvalStep.findFirst({ where: { instanceId: req.approvalInstanceId! }, orderBy: { seq: 'asc' } }),
    60_000,
  );
  if (!step) throw new Error(`approval step of ${hazardId}'s extension not found`);
  const card = await c.card('approval-task', step.id, reg.id);
  if (!card) throw new Error(`no approval-task card for ${hazardId}'s extension`);
  await sleep(rand(1000, 10_000));
  const taken = () => prisma.approvalClick.count({ where: { stepId: step.id, personId: reg.id } }).then((n) => n > 0);
  const click = { kind: 'approval' as const, subjectId: step.id, personId: reg.id, userId: reg.userId };
  if (!(await c.click({ ...click, outTrackId: card, actionId: 'approve' }, taken)))
    throw new Error(`approval click of ${hazardId}'s extension not taken`);
  const decided = await c.waitFor(
    () => prisma.approvalStep.findFirst({ where: { id: step.id, status: { not: 'ACTIVE' } } }),
    240_000,
  );
  if (!decided) throw new Error(`extension of ${hazardId} not decided`);
}

/** A warning from the feed, answered 「收到」 by nine units in ten over the next minute and a half. */
async function warningFlow(c: SoakClient, w: SoakWorld, n: number): Promise<void> {
  const now = Date.now();
  const stamp = new Date(now + 8 * 3600_000).toISOString().replace(/\D/g, '').slice(0, 14);
  const id = `33011041600000_${stamp}_${n % 1000}`;
  const res = await c.as(undefined, 'POST', '/api/warnings', {
    bearer: SOAK_WARNING_TOKEN,
    body: {
      id,
      level: 'YELLOW',
      regionCodes: [w.regionCode],
      issuedAt: iso(now),
      expiresAt: iso(now + 2 * 3600_000),
      issuer: '杭州市余杭区气象台',
      text: `余杭区 2 小时内可能发生雷电活动，请做好防范（第 ${n + 1} 次）`,
    },
  });
  if (res?.status !== 201 && res?.status !== 200) throw new Error(`warning answered ${res?.status}`);
  c.record.warnings.push(id);
  await Promise.all(
    w.units
      .filter(() => Math.random() < 0.9)
      .map(async (u) => {
        await sleep(rand(3000, 90_000));
        const ack = await c.as(u.manager, 'POST', `/api/m/warnings/${id}/ack`, {
          body: { from: 'FIRST_LINE.WORK_NOTICE' },
        });
        if (ack?.status !== 200)
          throw new Error(`「收到」 of ${id} answered ${ack?.status} ${JSON.stringify(ack?.body)}`);
        c.record.warningAcks.push({ warningId: id, personId: u.manager.id });
      }),
  );
}

/** The leaders' digest of day `k` before today (an operator re-sending a day, digest.run `at`). */
async function digestFlow(c: SoakClient, queues: Queues, k: number): Promise<void> {
  const at = new Date(Date.now() - (k + 1) * 86_400_000);
  for (let attempt = 0; ; attempt++) {
    try {
      const jobId = `soak-digest-${k}`;
      await Promise.race([
        queues.enqueue('digest.run', { at: iso(at.getTime()) }, { jobId }),
        sleep(10_000).then(() => Promise.reject(new Error('Redis did not answer'))),
      ]);
      c.record.actions++;
      c.record.digests.push(at.toISOString());
      return;
    } catch (err) {
      if (attempt > 60) throw err;
      await sleep(2000);
    }
  }
}

/** Runs the mix for `ms`, then waits for every flow it started. */
export async function drive(c: SoakClient, w: SoakWorld, queues: Queues, ms: number): Promise<void> {
  const flows: Array<Promise<void>> = [];
  const run = (what: string, p: Promise<void>) =>
    flows.push(p.catch((err: unknown) => void c.record.stuck.push(`${what}: ${String(err)}`)));
  const start = Date.now();
  const counts = { hazard: 0, warning: 0, digest: 0 };
  while (Date.now() - start < ms) {
    const t = Date.now() - start;
    if (t >= counts.hazard * SOAK_RATES.hazard) run('hazard', hazardFlow(c, w, counts.hazard++));
    if (t >= counts.warning * SOAK_RATES.warning + 20_000) run('warning', warningFlow(c, w, counts.warning++));
    if (t >= counts.digest * SOAK_RATES.digest + 10_000) run('digest', digestFlow(c, queues, counts.digest++));
    await sleep(250);
  }
  await Promise.all(flows);
}

// Demo hazards in every state of the loop (issue #4), played on the first start with demo data
// through the same commands people use: the demo regulator (周志远) files, the unit's manager
// (陈晓峰) acknowledges, submits with a photo and asks for an extension, the regulator verifies,
// and hazards filed weeks ago have gone overdue and been escalated. Each step waits until its
// notices reached the simulator before the next, as people would, so every card in the chat UI
// shows its hazard's current state. A story whose hazard exists already is skipped (restarts).
import path from 'node:path';
import type { Prisma, PrismaClient } from '../core/db';
import { DEMO } from '../core/db/seed-demo';
import { addWorkingDays } from '../core/domain/working-days';
import type { Effects } from '../core/effects';
import { acknowledgeHazard } from '../core/hazard/acknowledge';
import { escalateHazard, markOverdue } from '../core/hazard/deadline-events';
import { requestExtension } from '../core/hazard/extension';
import { fileHazardTx } from '../core/hazard/file-hazard';
import { hazardAlertData } from '../core/hazard/notice-data';
import { submitRectification, verifyRectification } from '../core/hazard/rectification';
import { syncHazardTimers } from '../core/hazard/schedule';
import { hazardCards } from '../core/hazard/transition';
import type { Logger } from '../core/logger';
import { storeImage } from '../miniapp/m/uploads.route';
import { sitePhoto } from './demo-photo';
import type { Runtime } from './runtime';

type HazardType = 'SPD_FAIL' | 'DOWN_COND' | 'AIR_TERM' | 'BONDING' | 'NO_PLAN' | 'NO_PERMIT';

/** One demo hazard: what was found, how long ago, and what has happened since. */
interface Story {
  type: HazardType;
  grade: 'GENERAL' | 'MAJOR';
  source: 'TEST' | 'ENFORCEMENT';
  description: string;
  /** Filed this many working days ago, with this period to rectify. */
  filedWorkingDaysAgo: number;
  deadlineWorkingDays: number;
  steps: Step[];
}

type Step =
  | { do: 'ack' }
  | { do: 'submit'; description: string }
  | { do: 'verify'; decision: 'APPROVED' | 'REJECTED'; reason?: string }
  | { do: 'extension'; reason: string; workingDays: number }
  | { do: 'overdue' }
  | { do: 'escalate' };

/** The stories, one per state (the first thread's hazard, app/demo.ts, is the 待整改 one). */
export const DEMO_HAZARD_STORIES: readonly Story[] = [
  {
    type: 'SPD_FAIL',
    grade: 'GENERAL',
    source: 'TEST',
    filedWorkingDaysAgo: 2,
    deadlineWorkingDays: 10,
    description: '配电房总配电柜一级浪涌保护器（SPD）失效窗口变红，压敏电压实测低于标称值 20% 以上。',
    steps: [{ do: 'ack' }, { do: 'extension', reason: '同型号 SPD 模块需向厂家订货，到货约需两周', workingDays: 20 }],
  },
  {
    type: 'DOWN_COND',
    grade: 'GENERAL',
    source: 'ENFORCEMENT',
    filedWorkingDaysAgo: 4,
    deadlineWorkingDays: 10,
    description: '办公楼西北角引下线断接卡锈蚀松动，过渡电阻实测 0.6 Ω。',
    steps: [{ do: 'ack' }, { do: 'submit', description: '更换断接卡并除锈紧固，复测过渡电阻 0.02 Ω，附整改后照片。' }],
  },
  {
    type: 'AIR_TERM',
    grade: 'GENERAL',
    source: 'TEST',
    filedWorkingDaysAgo: 6,
    deadlineWorkingDays: 10,
    description: '2 号仓库屋面接闪带两处焊点锈断，长约 1.5 米。',
    steps: [
      { do: 'ack' },
      { do: 'submit', description: '已对锈断处补焊并刷防锈漆。' },
      { do: 'verify', decision: 'REJECTED', reason: '照片只拍到一处焊点，另一处未见整改，请补充整改并重新提交' },
    ],
  },
  {
    type: 'BONDING',
    grade: 'MAJOR',
    source: 'ENFORCEMENT',
    filedWorkingDaysAgo: 8,
    deadlineWorkingDays: 10,
    description: '装卸台输油管道法兰跨接线缺失 3 处，静电与防雷等电位连接不完整。',
    steps: [
      { do: 'ack' },
      { do: 'submit', description: '补装法兰跨接线 3 处（铜编织带 6 mm²），复测过渡电阻均小于 0.03 Ω。' },
      { do: 'verify', decision: 'APPROVED' },
    ],
  },
  {
    type: 'NO_PLAN',
    grade: 'GENERAL',
    source: 'ENFORCEMENT',
    filedWorkingDaysAgo: 12,
    deadlineWorkingDays: 10,
    description: '未制定雷电灾害应急预案，近一年未组织防雷应急演练。',
    steps: [{ do: 'overdue' }],
  },
  {
    type: 'NO_PERMIT',
    grade: 'MAJOR',
    source: 'ENFORCEMENT',
    filedWorkingDaysAgo: 25,
    deadlineWorkingDays: 10,
    description: '新建 5 号储罐防雷装置未经竣工验收即投入使用。',
    steps: [{ do: 'overdue' }, { do: 'escalate' }],
  },
];

/** Waits until the deliveries due now left the outbox (sent or failed), as a person reads before acting. */
export async function settled(prisma: PrismaClient, ids: string[], timeoutMs = 20_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (ids.length > 0 && Date.now() < until) {
    // A notice held for quiet hours (notBefore in the morning) is not waited for: it goes out then.
    const open = await prisma.delivery.count({
      where: {
        id: { in: ids },
        status: { in: ['PENDING', 'SENDING'] },
        OR: [{ notBefore: null }, { notBefore: { lte: new Date() } }],
      },
    });
    if (open === 0) return;
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Plays the stories not played yet; returns the ids of the hazards they filed. */
export async function runDemoHazards(runtime: Runtime, logger: Logger): Promise<string[]> {
  const { prisma, publicBaseUrl, config } = runtime.deps;
  // Each step's notices sent and waited for (a person reads before acting), then its cards
  // refreshed: a story changes its hazard twice in one transaction (filed, then overdue), so the
  // cards it just sent show the first state until refreshed.
  const after = async (e: Effects) => {
    await runtime.apply({ deliveryIds: e.deliveryIds });
    await settled(prisma, e.deliveryIds);
    await runtime.apply({ ...e, deliveryIds: [] });
  };
  const opts = { publicBaseUrl, via: 'card' as const };
  const photo = async (n: number) => {
    const { id } = await storeImage(path.join(config.runtime.dataDir, 'uploads'), sitePhoto(n * 17));
    return { url: `${publicBaseUrl.replace(/\/$/, '')}/api/m/uploads/${id}` };
  };
  const filed: string[] = [];
  for (const [n, story] of DEMO_HAZARD_STORIES.entries()) {
    if (
      await prisma.hazard.findFirst({
        where: { unitId: DEMO.unitId, description: story.description },
        select: { id: true },
      })
    )
      continue;
    const now = new Date();
    // Demo data: filed now, then dated back to when the story says it was found (the risk code
    // and the timers are taken as of now, so no reminder goes out late); the late ones are found
    // overdue (and escalated) in the same transaction, as their timers would have done.
    const { hazardId, deliveryIds, refresh } = await prisma.$transaction(async (tx) => {
      const res = await fileHazardTx(
        tx,
        DEMO.regulatorPersonId,
        {
          unitId: DEMO.unitId,
          type: story.type,
          grade: story.grade,
          source: story.source,
          description: story.description,
          deadlineWorkingDays: story.deadlineWorkingDays,
        },
        { publicBaseUrl, now, plan: config.hazard },
      );
      const foundAt = new Date(addWorkingDays(now, -story.filedWorkingDaysAgo).getTime() - 15 * 3600_000);
      const dated = await tx.hazard.update({
        where: { id: res.hazardId },
        data: { foundAt, deadline: addWorkingDays(foundAt, story.deadlineWorkingDays) },
      });
      await syncHazardTimers(tx, dated, now, config.hazard);
      // The alert and its DING, not sent yet, carry the dated-back deadline.
      const alert = (await hazardAlertData(tx, res.hazardId, { publicBaseUrl })) as unknown as Prisma.InputJsonValue;
      await tx.delivery.updateMany({
        where: { id: { in: res.deliveryIds }, template: 'hazard-alert' },
        data: { data: alert },
      });
      const ids = [...res.deliveryIds];
      for (const step of story.steps) {
        if (step.do !== 'overdue' && step.do !== 'escalate') continue;
        const h = await tx.hazard.findUniqueOrThrow({ where: { id: res.hazardId } });
        const fire = step.do === 'overdue' ? markOverdue : escalateHazard;
        ids.push(...(await fire(tx, h.id, { version: h.scheduleVersion }, { now, publicBaseUrl })).deliveryIds);
      }
      return { hazardId: res.hazardId, deliveryIds: ids, refresh: hazardCards(res.hazardId) };
    });
    await after({ deliveryIds, refresh });
    for (const step of story.steps) {
      if (step.do === 'ack') {
        await after(await acknowledgeHazard(prisma, hazardId, DEMO.unitManagerPersonId, 'card'));
      } else if (step.do === 'submit') {
        await after(
          await submitRectification(
            prisma,
            DEMO.unitManagerPersonId,
            hazardId,
            { description: step.description, photos: [await photo(n)] },
            opts,
          ),
        );
      } else if (step.do === 'verify') {
        const rect = await prisma.rectification.findFirstOrThrow({
          where: { hazardId, decision: null },
          orderBy: { submittedAt: 'desc' },
        });
        const decision = { decision: step.decision, reason: step.reason };
        await after(
          await verifyRectification(prisma, DEMO.regulatorPersonId, rect.id, decision, {
            ...opts,
            reworkWorkingDays: config.hazard.reworkWorkingDays,
          }),
        );
      } else if (step.do === 'extension') {
        const h = await prisma.hazard.findUniqueOrThrow({ where: { id: hazardId } });
        const newDeadline = addWorkingDays(h.deadline, step.workingDays).toISOString();
        await after(
          await requestExtension(
            prisma,
            DEMO.unitManagerPersonId,
            hazardId,
            { reason: step.reason, newDeadline },
            { ...opts, via: 'miniapp', approvalTimers: config.approval },
          ),
        );
      }
    }
    filed.push(hazardId);
  }
  if (filed.length > 0)
    logger.info(
      { hazards: filed.length },
      '演示：已生成各状态的隐患（待整改、整改中、待复核、已驳回、已销号、逾期、已升级）',
    );
  return filed;
}

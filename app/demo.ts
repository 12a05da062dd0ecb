// The first thread through everything (issue #2 part 7): on the first start with demo data, the
// demo regulator files a hazard at the demo key unit; its interactive card goes to the unit's
// manager through the outbox and the notify workflow, and shows in the simulator's chat UI.
// Hazards in every state (app/demo-hazards.ts) and approvals waiting (app/demo-approvals.ts) too.
import { DEMO } from '../core/db/seed-demo';
import { fileHazard } from '../core/hazard/file-hazard';
import { runDemoApprovals } from './demo-approvals';
import { runDemoHazards } from './demo-hazards';
import type { Logger } from '../core/logger';
import type { Runtime } from './runtime';

/** Files the demo hazard once (a later start finds it and does nothing). */
export async function runDemoThread(runtime: Runtime, logger: Logger): Promise<string | undefined> {
  const { prisma, publicBaseUrl } = runtime.deps;
  await runDemoHazards(runtime, logger);
  await runDemoApprovals(runtime, logger);
  const existing = await prisma.hazard.findFirst({
    where: { unitId: DEMO.unitId, filedById: DEMO.regulatorPersonId, type: 'EARTH_R' },
  });
  if (existing) return existing.id;
  const { hazardId, deliveryIds } = await fileHazard(
    prisma,
    DEMO.regulatorPersonId,
    {
      unitId: DEMO.unitId,
      type: 'EARTH_R',
      grade: 'GENERAL',
      source: 'TEST',
      description: '储罐区 3 号罐防直击雷接地电阻实测 18.6 Ω，超过 10 Ω 的限值，接地极存在锈蚀断裂。',
      deadlineWorkingDays: 10,
    },
    { publicBaseUrl, plan: runtime.deps.config.hazard },
  );
  await runtime.dispatch(deliveryIds);
  logger.info({ hazardId, deliveries: deliveryIds.length }, '演示：已登记隐患并推送整改通知卡片');
  return hazardId;
}

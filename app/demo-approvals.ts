// Demo approvals (issue #5), played on the first start with demo data through the same commands
// people use: the demo unit's manager (陈晓峰) applies for permits; one 竣工验收 waits for the
// regulator (周志远) at 受理审查, one 设计审核 was accepted and waits for the leader (林国华) at
// 审核决定, and one 竣工验收 was rejected with a comment and waits for the manager to resubmit. Each
// step waits until its cards reached the simulator, so the chat UI shows every card in its state
// (the buttons with whoever may still decide). A story whose permit exists already is skipped.
import { decide, type ApprovalEffects } from '../core/approval';
import { DEMO } from '../core/db/seed-demo';
import type { Logger } from '../core/logger';
import { applyForPermit } from '../core/permit/apply';
import { settled } from './demo-hazards';
import type { Runtime } from './runtime';

type Decision = { by: 'regulator' | 'leader'; decision: 'APPROVE' | 'REJECT'; comment?: string };

/** One demo application and the decisions taken on it so far. */
interface Story {
  kind: 'DESIGN_REVIEW' | 'COMPLETION_ACCEPTANCE';
  project: string;
  address: string;
  designApprovalNo?: string;
  decisions: Decision[];
}

export const DEMO_APPROVAL_STORIES: readonly Story[] = [
  {
    kind: 'COMPLETION_ACCEPTANCE',
    project: '二期 5000 立方米储罐扩建工程',
    address: '储罐区东侧',
    designApprovalNo: '杭气防审〔2026〕18 号',
    decisions: [],
  },
  {
    kind: 'DESIGN_REVIEW',
    project: '新建丙类综合仓库防雷设计',
    address: '厂区北门西侧',
    decisions: [{ by: 'regulator', decision: 'APPROVE', comment: '材料齐全，予以受理' }],
  },
  {
    kind: 'COMPLETION_ACCEPTANCE',
    project: '装卸栈台罩棚改造工程',
    address: '装卸区 2 号栈台',
    designApprovalNo: '杭气防审〔2026〕9 号',
    decisions: [
      { by: 'regulator', decision: 'APPROVE' },
      { by: 'leader', decision: 'REJECT', comment: '接地装置隐蔽工程检测记录缺失，请补充后重新提交' },
    ],
  },
];

/** Plays the stories not played yet; returns the ids of the approvals they started. */
export async function runDemoApprovals(runtime: Runtime, logger: Logger): Promise<string[]> {
  const { prisma, publicBaseUrl } = runtime.deps;
  const ctx = { publicBaseUrl, timers: runtime.deps.config.approval };
  const after = async (effects: ApprovalEffects) => {
    await runtime.apply({ deliveryIds: effects.deliveryIds });
    await settled(prisma, effects.deliveryIds);
    await runtime.apply({ ...effects, deliveryIds: [] });
  };
  const person = { regulator: DEMO.regulatorPersonId, leader: DEMO.leaderPersonId };
  const started: string[] = [];
  for (const story of DEMO_APPROVAL_STORIES) {
    if (await prisma.permit.findFirst({ where: { unitId: DEMO.unitId, project: story.project }, select: { id: true } }))
      continue;
    const applied = await prisma.$transaction((tx) =>
      applyForPermit(
        tx,
        DEMO.unitManagerPersonId,
        { kind: story.kind, project: story.project, address: story.address, designApprovalNo: story.designApprovalNo },
        ctx,
      ),
    );
    await after(applied);
    for (const d of story.decisions) {
      const inst = await prisma.approvalInstance.findUniqueOrThrow({ where: { id: applied.instanceId } });
      const step = await prisma.approvalStep.findFirstOrThrow({
        where: { instanceId: inst.id, round: inst.round, status: 'ACTIVE' },
      });
      await after(
        await prisma.$transaction((tx) =>
          decide(tx, { stepId: step.id, personId: person[d.by], decision: d.decision, comment: d.comment }, ctx),
        ),
      );
    }
    started.push(applied.instanceId);
  }
  if (started.length > 0)
    logger.info({ approvals: started.length }, '演示：已生成待受理、待决定和已驳回待重新提交的许可审批');
  return started;
}

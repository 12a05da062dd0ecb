// The 叫应 ladder's timers (issue #20): one `warning.ladder` timer per step, set when the warning is
// issued; when one fires, every unit still silent is called that step's way (core/warning/ladder-step.ts).
// A lifted or expired warning, or a step with nobody left to call, does nothing and says why.
import { z } from 'zod';
import { addDeliveries } from '../../core/outbox/add-deliveries';
import { LADDER_TIMER } from '../../core/warning/issue-warning';
import { runLadderStep } from '../../core/warning/ladder-step';
import type { TimerHandler, TimerKinds } from '../timers/registry';

const dataSchema = z.object({ step: z.number().int().min(0) });

const ladderStep: TimerHandler = async (tx, timer, ctx) => {
  const data = dataSchema.safeParse(timer.data);
  if (!data.success) return { note: '定时器数据无效（缺少叫应步骤）' };
  const res = await runLadderStep(tx, timer.subjectId, data.data.step, {
    now: ctx.now,
    publicBaseUrl: ctx.publicBaseUrl,
  });
  if (res.note) return { note: res.note };
  return {
    deliveryIds: await addDeliveries(tx, res.deliveries),
    note: `叫应第 ${data.data.step + 1} 步：${res.units} 家单位`,
  };
};

/** Timer kinds of lightning warnings (listed in workflows/timers/kinds.ts). */
export const WARNING_TIMERS = {
  [LADDER_TIMER]: ladderStep,
} satisfies TimerKinds;

// One step of the 叫应 ladder (issue #20), run by its timer in one transaction: every unit told of the
// warning that has not answered yet is called again the step's way (ladder.ts), each call a
// Delivery on the unit's subject (the 叫应记录 lists them), and the unit's WarningUnit says how far
// the ladder went. A unit that answered is not called; a lifted or expired warning stops the ladder.
import type { Tx } from '../db';
import type { NewDelivery } from '../outbox/add-deliveries';
import { callData, coveredUnits, firstLineDeliveries, unitCall, warningPriority } from './fan-out';
import type { FirstLineChannel } from './first-line';
import { LADDER_ACTION_LABELS, storedLadder, type LadderAction } from './ladder';
import { ackPageUrl } from './links';
import { tellRegulators } from './regulators';
import { warningCardBase } from './warning-cards';

/** What a step did: deliveries to dispatch after commit, or why it did nothing. */
export interface LadderStepResult {
  deliveries: NewDelivery[];
  /** Units called. */
  units: number;
  note?: string;
}

const DING_CHANNEL = { ding: 'DING', sms: 'DING_SMS', call: 'DING_CALL' } as const;
const DING_CALL = { ding: 'DING', sms: 'SMS', call: 'CALL' } as const;

/** Runs step `index` of the warning's ladder for every silent unit. */
export async function runLadderStep(
  tx: Tx,
  warningId: string,
  index: number,
  ctx: { now: Date; publicBaseUrl: string },
): Promise<LadderStepResult> {
  const w = await tx.lightningWarning.findUnique({ where: { id: warningId } });
  if (!w || w.status !== 'ACTIVE' || w.expiresAt <= ctx.now)
    return { deliveries: [], units: 0, note: '预警已解除或已过有效期，叫应停止' };
  const steps = storedLadder(w.ladder);
  const step = steps[index];
  if (!step) return { deliveries: [], units: 0, note: `该预警没有第 ${index + 1} 步叫应` };
  const silent = await tx.warningUnit.findMany({
    where: { warningId, answeredAt: null, unreachable: null },
    select: { unitId: true, channel: true },
  });
  if (silent.length === 0) return { deliveries: [], units: 0, note: '所有可送达的单位均已应答' };
  const units = await coveredUnits(tx, { unitIds: silent.map((s) => s.unitId) });
  const b = await warningCardBase(tx, warningId);
  const action = step.action;
  let deliveries: NewDelivery[];
  if (action === 'remind') {
    deliveries = firstLineDeliveries(b, units, {
      call: 'REMINDER',
      choose: new Map(silent.map((s) => [s.unitId, s.channel as FirstLineChannel])),
      publicBaseUrl: ctx.publicBaseUrl,
      now: ctx.now,
    }).deliveries;
  } else if (action === 'regulator') {
    const before = steps.slice(0, index).map((s) => LADDER_ACTION_LABELS[s.action]);
    deliveries = await tellRegulators(tx, b, units, {
      reason: 'SILENT',
      calls: before,
      purpose: 'warning.ladder.regulator',
      priority: warningPriority(w.level, 'FLAMMABLE'),
      now: ctx.now,
      publicBaseUrl: ctx.publicBaseUrl,
    });
  } else {
    deliveries = dingCalls(b, units, action, ctx);
  }
  await tx.$executeRaw`
    UPDATE "WarningUnit" SET step = ${index + 1}, "calledAt" = ${ctx.now}
     WHERE "warningId" = ${warningId} AND "unitId" = ANY(${units.map((u) => u.unitId)}::text[])
       AND "answeredAt" IS NULL`;
  return { deliveries, units: units.length };
}

/** DING in-app / by SMS to the managers, by phone to the legal representative: one text for all. */
function dingCalls(
  b: Awaited<ReturnType<typeof warningCardBase>>,
  units: Awaited<ReturnType<typeof coveredUnits>>,
  action: Extract<LadderAction, 'ding' | 'sms' | 'call'>,
  ctx: { now: Date; publicBaseUrl: string },
): NewDelivery[] {
  const channel = DING_CHANNEL[action];
  const data = callData(
    b,
    DING_CALL[action],
    ctx.now,
    ackPageUrl(ctx.publicBaseUrl, b.w.id, DING_CALL[action], channel),
  );
  return units.flatMap((u) =>
    unitCall(b, u, { purpose: `warning.ladder.${action}`, channel, template: 'warning-call', data }, action === 'call'),
  );
}

// Timers of a lightning warning (issue #8 part 5): units still silent when `warning.remind` fires
// are reminded once; when `warning.escalate` fires, the regulators who hold the warning's status
// card get the list of units that are still silent. Each timer carries the warning's version: an
// update or a cancellation makes it a no-op.
import { label } from '../../core/domain/labels';
import type { Tx } from '../../core/db';
import { addDeliveries, type NewDelivery } from '../../core/outbox/add-deliveries';
import { setTimer } from '../../core/timers';
import { WARNING_TIMERS, warningPriority } from '../../core/warning/issue-warning';
import { silentUnits, unitSubjectId, WARNING_SUBJECT } from '../../core/warning/warning-cards';
import { defineTimerKind } from '../timers/registry';

const hm = (d: Date) => new Date(d.getTime() + 8 * 3600_000).toISOString().slice(11, 16);
/** More silent units than any county has; the list is bounded so one transaction stays small. */
const MAX_SILENT = 20_000;

/** The warning when a timer set for `version` still applies, else null. */
async function current(tx: Tx, subjectId: string, data: unknown, now: Date) {
  const version = (data as { version?: number } | null)?.version;
  const w = await tx.lightningWarning.findUnique({ where: { id: subjectId } });
  if (!w || w.status !== 'ACTIVE' || w.version !== version || w.expiresAt <= now) return null;
  return w;
}

defineTimerKind(WARNING_TIMERS.remind, async (tx, timer, ctx) => {
  const w = await current(tx, timer.subjectId, timer.data, ctx.now);
  if (!w) return;
  const silent = await silentUnits(tx, w.id, MAX_SILENT);
  const people = await tx.person.findMany({
    where: { active: true, unitId: { in: silent.map((u) => u.id) } },
    select: { id: true, roles: true, unitId: true, unit: { select: { name: true, category: true } } },
  });
  const levelLabel = label('WarningLevel', w.level);
  const deliveries: NewDelivery[] = [];
  for (const u of silent) {
    const ps = people.filter((p) => p.unitId === u.id);
    const managers = ps.filter((p) => p.roles.includes('UNIT_MANAGER'));
    for (const p of managers.length > 0 ? managers : ps.filter((x) => x.roles.includes('LEGAL_REP'))) {
      deliveries.push({
        purpose: 'warning.reminder',
        channel: 'ROBOT_OTO',
        template: 'generic-text',
        data: {
          title: `${levelLabel}尚未确认落实`,
          paragraphs: [
            `${p.unit!.name}：${w.issuer || '气象台'}发布的${levelLabel}（有效期至 ${hm(w.expiresAt)}）仍未确认落实防范措施。`,
            '请立即落实防雷安全措施，并在预警卡片上点击「已落实防范措施」。',
          ],
        },
        recipientPersonId: p.id,
        priority: warningPriority(w.level, p.unit!.category),
        statutory: true,
        subjectType: 'warning-unit',
        subjectId: unitSubjectId(w.id, u.id),
      });
    }
  }
  await setTimer(tx, {
    kind: WARNING_TIMERS.escalate,
    subjectType: WARNING_SUBJECT,
    subjectId: w.id,
    dueAt: new Date(ctx.now.getTime() + ctx.config.warning.escalateAfterMs),
    data: { version: w.version },
  });
  return { deliveryIds: await addDeliveries(tx, deliveries) };
});

defineTimerKind(WARNING_TIMERS.escalate, async (tx, timer, ctx) => {
  const w = await current(tx, timer.subjectId, timer.data, ctx.now);
  if (!w) return;
  const silent = await silentUnits(tx, w.id, MAX_SILENT);
  if (silent.length === 0) return;
  // The regulators who hold the warning's status card are the ones responsible for these units.
  const holders = await tx.delivery.findMany({
    where: {
      subjectType: WARNING_SUBJECT,
      subjectId: w.id,
      purpose: 'warning.regulator-card',
      recipientPersonId: { not: null },
    },
    select: { recipientPersonId: true },
  });
  const levelLabel = label('WarningLevel', w.level);
  let names = silent.map((u) => u.name).join('、');
  if (names.length > 380) names = `${names.slice(0, 370)}… 等 ${silent.length} 家`;
  const data = {
    title: `${levelLabel}未落实单位清单`,
    paragraphs: [
      `${w.issuer || '气象台'}发布的${levelLabel}（有效期至 ${hm(w.expiresAt)}），经提醒仍有 ${silent.length} 家重点单位未确认落实防范措施：`,
      names,
      '请督促上述单位立即落实防雷安全措施。',
    ],
  };
  const deliveries: NewDelivery[] = [...new Set(holders.map((h) => h.recipientPersonId!))].map((id) => ({
    purpose: 'warning.escalation',
    channel: 'ROBOT_OTO' as const,
    template: 'generic-text',
    data,
    recipientPersonId: id,
    priority: warningPriority(w.level, 'FLAMMABLE'),
    statutory: true,
    subjectType: WARNING_SUBJECT,
    subjectId: w.id,
  }));
  return { deliveryIds: await addDeliveries(tx, deliveries) };
});

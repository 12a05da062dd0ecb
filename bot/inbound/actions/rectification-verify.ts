// 「通过」/「驳回」 on the 整改复核 card, the reason typed in the card's input. A rejection without a
// reason is checked (could it succeed?) and then asked for, on the card, in chat or on the page.
import { assertRegulatorOf } from '../../../core/authz/person-checks';
import { ConflictError } from '../../../core/errors';
import { hazardNo } from '../../../core/hazard/hazard-no';
import { verifyRectification } from '../../../core/hazard/rectification';
import type { CardActionDeps, Click, KindActions } from '../card-action-types';
import { privateNote } from './answers';
import { hazardDone } from './hazard-done';

async function verify(
  deps: CardActionDeps,
  click: Click,
  decision: { decision: 'APPROVED' } | { decision: 'REJECTED'; reason: string },
) {
  const res = await verifyRectification(deps.prisma, click.person.id, click.card.subjectId, decision, {
    publicBaseUrl: deps.publicBaseUrl,
    via: 'card',
    approvalTimers: deps.approvalTimers,
    reworkWorkingDays: deps.reworkWorkingDays,
  });
  await deps.apply(res);
  return hazardDone(deps, click);
}

/** The actions of the rectification-verify card. */
export const rectificationVerifyActions: KindActions = {
  approve: (deps, click) => verify(deps, click, { decision: 'APPROVED' }),
  reject: async (deps, click) => {
    const reason = typeof click.params['reason'] === 'string' ? click.params['reason'].trim() : '';
    if (reason.length >= 2) return verify(deps, click, { decision: 'REJECTED', reason });
    const rect = await deps.prisma.rectification.findUniqueOrThrow({
      where: { id: click.card.subjectId },
      include: { hazard: true },
    });
    await deps.prisma.$transaction((tx) => assertRegulatorOf(tx, click.person.id, rect.hazard.unitId));
    if (rect.decision || rect.hazard.status !== 'SUBMITTED')
      throw new ConflictError('RECTIFICATION_DECIDED', '该整改已复核或已失效，无需重复操作');
    return privateNote(
      `驳回须填写理由：请在卡片上填写驳回理由后再点「驳回」，或回复「驳回 ${hazardNo(rect.hazardId)} 理由」`,
    );
  },
};

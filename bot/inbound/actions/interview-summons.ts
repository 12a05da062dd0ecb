// 「确认参加」/「申请改期」 on the unit's interview summons card (issue #6); a reason for the
// reschedule is optional, typed into the card.
import { confirmAttendance, requestReschedule } from '../../../core/interview/respond';
import type { KindActions } from '../card-action-types';
import { privateNote, publicCard } from './answers';

/** The actions of the interview-summons card. */
export const interviewSummonsActions: KindActions = {
  confirm: async (deps, { card, person }) => {
    if (!deps.config) return privateNote('暂不支持该操作');
    await deps.apply(await confirmAttendance(deps.prisma, card.subjectId, person.id));
    return publicCard(deps, card.kind, card.subjectId);
  },
  reschedule: async (deps, { card, person, params }) => {
    if (!deps.config) return privateNote('暂不支持该操作');
    const reason = typeof params.reason === 'string' ? params.reason : '';
    const res = await requestReschedule(
      deps.prisma,
      { interviewId: card.subjectId, personId: person.id, reason },
      { config: deps.config, publicBaseUrl: deps.publicBaseUrl },
    );
    await deps.apply(res);
    return publicCard(deps, card.kind, card.subjectId);
  },
};

// 「发起约谈」/「暂不约谈」 on the regulator's interview proposal card (issue #6). Time, place and
// reason are typed into the card (cardPrivateData.params); the layout prefills time and place with
// the suggestion, and a reason left empty is asked for again.
import { declineInterview, scheduleInterview } from '../../../core/interview/schedule';
import type { KindActions } from '../card-action-types';
import { privateNote, publicCard } from './answers';

const str = (v: unknown) => (typeof v === 'string' ? v : '');

/** The actions of the interview-proposal card. */
export const interviewProposalActions: KindActions = {
  schedule: async (deps, { card, person, params }) => {
    if (!deps.config) return privateNote('暂不支持该操作');
    const res = await scheduleInterview(
      deps.prisma,
      { dutyActionId: card.subjectId, personId: person.id, time: str(params.time), place: str(params.place) },
      { config: deps.config, publicBaseUrl: deps.publicBaseUrl },
    );
    await deps.apply(res);
    deps.logger.info({ interviewId: res.interviewId, personId: person.id, already: res.already }, '已发起约谈');
    return publicCard(deps, card.kind, card.subjectId);
  },
  decline: async (deps, { card, person, params }) => {
    if (!deps.config) return privateNote('暂不支持该操作');
    if (!str(params.reason).trim()) return privateNote('请在卡片上填写暂不约谈的理由后再提交');
    await deps.apply(
      await declineInterview(deps.prisma, {
        dutyActionId: card.subjectId,
        personId: person.id,
        reason: str(params.reason),
      }),
    );
    return publicCard(deps, card.kind, card.subjectId);
  },
};

// Interview card clicks (issue #6): 「发起约谈」/「暂不约谈」 on the regulator's proposal card,
// 「确认参加」/「申请改期」 on the unit's summons card. Values typed into the card (time, place,
// reasons) arrive in cardPrivateData.params; the layouts prefill time and place with the
// suggestion, and a reason left empty is asked for again.
import type { Config } from '../../core/config';
import type { ApplyEffects } from '../../core/effects';
import type { PrismaClient } from '../../core/db';
import { confirmAttendance, requestReschedule } from '../../core/interview/respond';
import { declineInterview, scheduleInterview } from '../../core/interview/schedule';
import type { Logger } from '../../core/logger';

/** What interview actions need besides the common card-action deps. */
export interface InterviewActionDeps {
  prisma: PrismaClient;
  logger: Logger;
  publicBaseUrl: string;
  interview: { config: Config };
  /** Applies a command's effects after its commit. */
  apply: ApplyEffects;
}

/** Outcome: the card to answer with (kind + subject), or a note for the clicking user. */
export type InterviewActionResult = { answer: { kind: string; subjectId: string } } | { note: string } | undefined;

const str = (v: unknown) => (typeof v === 'string' ? v : '');

/** Runs an interview action; undefined when the card/action is not an interview one. */
export async function handleInterviewAction(
  deps: InterviewActionDeps,
  card: { kind: string; subjectId: string },
  action: string,
  params: Record<string, unknown>,
  personId: string,
): Promise<InterviewActionResult> {
  const opts = { config: deps.interview.config, publicBaseUrl: deps.publicBaseUrl };
  if (card.kind === 'interview-proposal' && action === 'schedule') {
    const res = await scheduleInterview(
      deps.prisma,
      { dutyActionId: card.subjectId, personId, time: str(params.time), place: str(params.place) },
      opts,
    );
    await deps.apply(res);
    deps.logger.info({ interviewId: res.interviewId, personId, already: res.already }, '已发起约谈');
    return { answer: { kind: card.kind, subjectId: card.subjectId } };
  }
  if (card.kind === 'interview-proposal' && action === 'decline') {
    if (!str(params.reason).trim()) return { note: '请在卡片上填写暂不约谈的理由后再提交' };
    await deps.apply(
      await declineInterview(deps.prisma, { dutyActionId: card.subjectId, personId, reason: str(params.reason) }),
    );
    return { answer: { kind: card.kind, subjectId: card.subjectId } };
  }
  if (card.kind === 'interview-summons' && action === 'confirm') {
    await deps.apply(await confirmAttendance(deps.prisma, card.subjectId, personId));
    return { answer: { kind: card.kind, subjectId: card.subjectId } };
  }
  if (card.kind === 'interview-summons' && action === 'reschedule') {
    const res = await requestReschedule(
      deps.prisma,
      { interviewId: card.subjectId, personId, reason: str(params.reason) },
      opts,
    );
    await deps.apply(res);
    return { answer: { kind: card.kind, subjectId: card.subjectId } };
  }
  return undefined;
}

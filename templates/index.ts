// Registry of notice templates and the one entry point to render a notice for a channel.
import type { z } from 'zod';
import type { Settings } from '../core/config';
import { checkTemplateList, type CheckOptions, type TemplateProblem } from './check';
import { TemplateChannelError, UnknownTemplateError } from './errors';
import { parseData, renderParsed, supportedChannels, type RenderOptions } from './render';
import type { AnyNoticeTemplate, Channel, ChannelPayloads, NoticeTemplate } from './types';
import { approvalNudge } from './notices/approval-nudge';
import { approvalOverdue } from './notices/approval-overdue';
import { approvalStatus } from './notices/approval-status';
import { approvalTask } from './notices/approval-task';
import { dailyDigest } from './notices/daily-digest';
import { dutyReminder } from './notices/duty-reminder';
import { extensionRequest } from './notices/extension-request';
import { genericText } from './notices/generic-text';
import { hazardAlert } from './notices/hazard-alert';
import { hazardOverdue } from './notices/hazard-overdue';
import { hazardReminder } from './notices/hazard-reminder';
import { hazardStatus } from './notices/hazard-status';
import { inspectionDue } from './notices/inspection-due';
import { interviewAckMissed } from './notices/interview-ack-missed';
import { interviewClosed } from './notices/interview-closed';
import { interviewOutcome } from './notices/interview-outcome';
import { interviewReminder } from './notices/interview-reminder';
import { interviewTaskOverdue } from './notices/interview-task-overdue';
import { interviewTaskReminder } from './notices/interview-task-reminder';
import { interviewProposal } from './notices/interview-proposal';
import { interviewSummons } from './notices/interview-summons';
import { lightningWarning } from './notices/lightning-warning';
import { rankingDutyList } from './notices/ranking-duty-list';
import { rankingLeaderTable } from './notices/ranking-leader-table';
import { rankingNotice } from './notices/ranking-notice';
import { rectificationVerify } from './notices/rectification-verify';
import { testOverdueList } from './notices/test-overdue-list';
import { selfCheck } from './notices/self-check';
import { riskRed } from './notices/risk-red';
import { testReportAnomaly } from './notices/test-report-anomaly';
import { testReportSpotCheck } from './notices/test-report-spot-check';
import { testPlan } from './notices/test-plan';
import { testReportDue } from './notices/test-report-due';
import { testReportLateList } from './notices/test-report-late-list';
import { inspectionRepeat } from './notices/inspection-repeat';
import { warningCall } from './notices/warning-call';
import { warningSilentList } from './notices/warning-silent-list';

/** Every shipped template, by kind. */
const TEMPLATES = {
  'hazard-alert': hazardAlert,
  'hazard-reminder': hazardReminder,
  'hazard-overdue': hazardOverdue,
  'hazard-status': hazardStatus,
  'rectification-verify': rectificationVerify,
  'extension-request': extensionRequest,
  'approval-task': approvalTask,
  'approval-status': approvalStatus,
  'ranking-notice': rankingNotice,
  'ranking-leader-table': rankingLeaderTable,
  'ranking-duty-list': rankingDutyList,
  'interview-summons': interviewSummons,
  'interview-proposal': interviewProposal,
  'lightning-warning': lightningWarning,
  'warning-call': warningCall,
  'warning-silent-list': warningSilentList,
  'daily-digest': dailyDigest,
  'test-report-anomaly': testReportAnomaly,
  'inspection-due': inspectionDue,
  'test-overdue-list': testOverdueList,
  'self-check': selfCheck,
  'test-plan': testPlan,
  'test-report-due': testReportDue,
  'test-report-late-list': testReportLateList,
  'inspection-repeat': inspectionRepeat,
  'duty-reminder': dutyReminder,
  'risk-red': riskRed,
  'test-report-spot-check': testReportSpotCheck,
  'approval-overdue': approvalOverdue,
  'approval-nudge': approvalNudge,
  'interview-reminder': interviewReminder,
  'interview-ack-missed': interviewAckMissed,
  'interview-outcome': interviewOutcome,
  'interview-task-reminder': interviewTaskReminder,
  'interview-task-overdue': interviewTaskOverdue,
  'interview-closed': interviewClosed,
  'generic-text': genericText,
} as const;

/** Known notice kinds. */
export type NoticeKind = keyof typeof TEMPLATES;
/** Input data type of a notice kind (what callers pass to renderNotice). */
export type NoticeData<K extends NoticeKind> =
  (typeof TEMPLATES)[K] extends NoticeTemplate<infer S> ? z.input<S> : never;

const registry: ReadonlyMap<string, AnyNoticeTemplate> = new Map(
  Object.entries(TEMPLATES).map(([k, t]) => [k, t as unknown as AnyNoticeTemplate]),
);

/** True when `kind` is a registered notice kind. */
export function isNoticeKind(kind: string): kind is NoticeKind {
  return registry.has(kind);
}

/** The template of a kind; throws UnknownTemplateError (TEMPLATE_UNKNOWN). */
export function getTemplate(kind: string): AnyNoticeTemplate {
  const t = registry.get(kind);
  if (!t) throw new UnknownTemplateError(kind);
  return t;
}

/** Every registered template, in registry order. */
export function listTemplates(): AnyNoticeTemplate[] {
  return [...registry.values()];
}

/** Channels a kind can be rendered for. */
export function channelsOf(kind: string): Channel[] {
  return supportedChannels(getTemplate(kind));
}

/**
 * Validates `data` against the kind's schema and renders the channel's payload:
 * ROBOT_OTO/ROBOT_GROUP `{msgKey,msgParam}`, WORK_NOTICE the oapi `msg`, WEBHOOK the custom-robot
 * body, DING `{content}`, CARD `{layout,templateId,cardParamMap,privateData?}`.
 * Throws UnknownTemplateError, TemplateDataError (nothing rendered), TemplateChannelError or
 * TemplateTooLargeError — all permanent.
 */
export function renderNotice<K extends NoticeKind, C extends Channel>(
  kind: K,
  data: NoticeData<K>,
  channel: C,
  opts?: RenderOptions,
): ChannelPayloads[C];
export function renderNotice<C extends Channel>(
  kind: string,
  data: unknown,
  channel: C,
  opts?: RenderOptions,
): ChannelPayloads[C];
export function renderNotice<C extends Channel>(
  kind: string,
  data: unknown,
  channel: C,
  opts: RenderOptions = {},
): ChannelPayloads[C] {
  const t = getTemplate(kind);
  if (!supportedChannels(t).includes(channel)) throw new TemplateChannelError(kind, channel);
  const parsed = parseData(t, data);
  return renderParsed(t, parsed, channel, opts);
}

/** The start-up self-check (check.ts) over the shipped templates unless told otherwise. */
export function checkTemplates(
  dingtalk: Pick<Settings<'dingtalk'>, 'cardTemplates'>,
  opts: CheckOptions = {},
): TemplateProblem[] {
  return checkTemplateList(dingtalk, { ...opts, templates: opts.templates ?? listTemplates() });
}

export type { TemplateProblem } from './check';
export * from './errors';
export type { RenderOptions } from './render';
export { LIMITS } from './render';
export * from './types';
export {
  STANDARD_CARD_TEMPLATE_ID,
  standardCardData,
  needsTypedInput,
  type StandardCardData,
  type StandardCardOptions,
} from './standard-card';
export { shippedLayouts, type CardLayout } from './layout';

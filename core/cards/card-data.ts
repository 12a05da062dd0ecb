// Current data of each card kind, from the record: card refreshes are level-triggered (show the
// state as it is now), so a lost or repeated refresh can never show a wrong state.
import type { Config } from '../config';
import type { PrismaClient } from '../db';
import { AppError } from '../errors';
import { approvalStatusData, approvalTaskData } from '../approval';
import { rectificationVerifyData } from '../hazard/decision-data';
import { hazardAlertData } from '../hazard/notice-data';
import { selfCheckCardData } from '../inspection/self-check';
import { proposalCardData } from '../interview/proposal-data';
import { interviewSummonsData } from '../interview/summons-data';
import { regulatorWarningCardData, unitWarningCardData } from '../warning/warning-cards';

/** Builds the template data of one card kind for one subject. */
export type CardDataBuilder = (
  prisma: PrismaClient,
  subjectId: string,
  ctx: { publicBaseUrl: string; config?: Config },
) => Promise<Record<string, unknown>>;

const BUILDERS: Record<string, CardDataBuilder> = {
  'hazard-alert': (prisma, id, ctx) => prisma.$transaction((tx) => hazardAlertData(tx, id, ctx)),
  'approval-task': (prisma, id, ctx) => prisma.$transaction((tx) => approvalTaskData(tx, id, ctx)),
  'approval-status': (prisma, id, ctx) => prisma.$transaction((tx) => approvalStatusData(tx, id, ctx)),
  'interview-summons': (prisma, id, ctx) =>
    prisma.$transaction((tx) =>
      interviewSummonsData(tx, id, { publicBaseUrl: ctx.publicBaseUrl, config: needConfig(ctx.config) }),
    ),
  'interview-proposal': (prisma, id, ctx) =>
    prisma.$transaction((tx) =>
      proposalCardData(tx, id, { publicBaseUrl: ctx.publicBaseUrl, config: needConfig(ctx.config) }),
    ),
  // A unit's card is about `${warningId}|${unitId}`, the regulators' card about the warning itself.
  'lightning-warning': (prisma, id, ctx) =>
    prisma.$transaction(
      async (tx): Promise<Record<string, unknown>> =>
        id.includes('|')
          ? unitWarningCardData(tx, id)
          : regulatorWarningCardData(tx, id, new Date(), ctx.publicBaseUrl),
    ),
  'rectification-verify': (prisma, id, ctx) => prisma.$transaction((tx) => rectificationVerifyData(tx, id, ctx)),
  'self-check': (prisma, id, ctx) => prisma.$transaction((tx) => selfCheckCardData(tx, id, ctx)),
};

function needConfig(config: Config | undefined): Config {
  if (!config) throw new AppError('CARD_DATA_CONFIG_MISSING', '刷新卡片缺少配置', { status: 500 });
  return config;
}

/** The builder for a card kind; a kind without one cannot be refreshed. */
export function cardDataBuilder(kind: string): CardDataBuilder {
  const b = BUILDERS[kind];
  if (!b) throw new AppError('CARD_KIND_NOT_REFRESHABLE', `卡片类型 ${kind} 不支持刷新`, { status: 500 });
  return b;
}

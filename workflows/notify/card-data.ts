// Current data of each card kind, from the record: card refreshes are level-triggered (show the
// state as it is now), so a lost or repeated refresh can never show a wrong state.
import type { PrismaClient } from '../../core/db';
import { AppError } from '../../core/errors';
import { hazardAlertData } from '../../core/hazard/notice-data';

/** Builds the template data of one card kind for one subject. */
export type CardDataBuilder = (prisma: PrismaClient, subjectId: string, ctx: { publicBaseUrl: string }) => Promise<Record<string, unknown>>;

const BUILDERS: Record<string, CardDataBuilder> = {
  'hazard-alert': (prisma, id, ctx) => prisma.$transaction((tx) => hazardAlertData(tx, id, ctx)),
};

/** The builder for a card kind; a kind without one cannot be refreshed. */
export function cardDataBuilder(kind: string): CardDataBuilder {
  const b = BUILDERS[kind];
  if (!b) throw new AppError('CARD_KIND_NOT_REFRESHABLE', `卡片类型 ${kind} 不支持刷新`, { status: 500 });
  return b;
}

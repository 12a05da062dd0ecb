// doctor's card line (#19): which form each card kind goes out in (the tenant's template, or the
// 普通版 card that needs none, docs/cards.md), and what a warning's first line does about the shared
// warning card, which needs a template: without one its units get WARNING_SHARED_CARD_FALLBACK
// (docs/warning-broadcast.md, "Without a card template").
import type { Config } from '../../../core/config';
import { SHARED_WARNING_CARD } from '../../../core/warning/first-line';
import { listTemplates } from '../../../templates';

/** What the fallback of the shared warning card is, in words. */
const FALLBACK_WORDS: Record<Config['warning']['sharedCardFallback'], string> = {
  ROBOT_OTO: '机器人单聊消息（带「收到」按钮，每次 20 人）',
  WORK_NOTICE: '工作通知（超出每分钟额度的顺延到下一分钟）',
};

/**
 * One sentence per form: the kinds with a configured template, the kinds sent as 普通版 cards, and
 * the shared warning card (its template, or the way its units go instead).
 */
export function cardForms(config: Config): string {
  const templates = config.dingtalk.cardTemplates;
  const kinds = listTemplates().filter((t) => t.card);
  const withTemplate = kinds.filter((t) => templates[t.kind]).map((t) => `${t.title}（${templates[t.kind]}）`);
  const standard = kinds.filter((t) => !templates[t.kind]).map((t) => t.title);
  const parts: string[] = [];
  if (withTemplate.length > 0) parts.push(`使用已配置模板：${withTemplate.join('、')}`);
  if (standard.length > 0) parts.push(`以普通版卡片（StandardCard）发送，无需模板：${standard.join('、')}`);
  const usesShared = Object.values(config.warning.firstLine).some((c) => c.includes('CARD_SHARED'));
  if (!usesShared) parts.push('雷电预警首次通知未使用多单位共用卡片（WARNING_FIRST_LINE）');
  else if (templates[SHARED_WARNING_CARD])
    parts.push(`雷电预警多单位共用卡片使用模板 ${templates[SHARED_WARNING_CARD]}`);
  else
    parts.push(
      `雷电预警多单位共用卡片需要模板，未配置：首次通知中超出工作通知每分钟额度的单位改用${
        FALLBACK_WORDS[config.warning.sharedCardFallback]
      }（WARNING_SHARED_CARD_FALLBACK）`,
    );
  return parts.join('；');
}

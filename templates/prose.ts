// Notices that read as a heading, a few paragraphs and one link, laid out as 通用通知
// (notices/generic-text.ts) lays out an operator's free text, with the prose written here in
// templates/ rather than by the code that sends them (issue #24).
import type { NoticeTemplate } from './types';

/** The liquid sources of such a notice; `paragraphs` and the link are liquid (values escaped). */
export interface ProseSource {
  /** Heading and chat-list title (plain liquid). */
  title: string;
  /** Paragraphs, each one line of markdown liquid; one that renders empty leaves a blank line. */
  paragraphs: string[];
  /** Signature line, e.g. `{{ issuer }}`. */
  sender?: string;
  /** The one link: its title, and its target as liquid (put it through the `url` filter). */
  link: { title: string; url: string };
}

/** Markdown body, DING text and summary of a prose notice. */
export function prose(p: ProseSource): Required<Pick<NoticeTemplate, 'summary' | 'markdown' | 'ding'>> {
  const body = p.paragraphs.map((x) => `${x}\n\n`).join('');
  return {
    summary: p.title,
    markdown: `#### ${p.title}\n\n${body}${p.sender ? `${p.sender}\n\n` : ''}[${p.link.title}](${p.link.url})`,
    ding: `${p.title}：${p.paragraphs.join(' ')}${p.sender ? `（${p.sender}）` : ''}`,
  };
}

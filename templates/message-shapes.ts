// The shapes one rendered message (title, markdown text, link buttons) takes on each messaging
// channel: robot msgKey/msgParam (docs/dingtalk-wire.md §3), work-notice msg (§5), custom
// robot body (§7). Cards are shaped in render.ts from their layout.
import type { RobotPayload, WebhookBody, WorkNoticeMsg } from './types';

/** A notice as title, markdown text and link buttons, before it takes a channel's shape. */
export interface RenderedMessage {
  title: string;
  text: string;
  buttons: Array<{ title: string; url: string }>;
}

/** Robot message (1:1 or group): sampleMarkdown, or sampleActionCard with one to five buttons. */
export function robot(m: RenderedMessage): RobotPayload {
  const { title, text, buttons } = m;
  if (buttons.length === 0) return { msgKey: 'sampleMarkdown', msgParam: JSON.stringify({ title, text }) };
  if (buttons.length === 1) {
    const [b] = buttons as [{ title: string; url: string }];
    return {
      msgKey: 'sampleActionCard',
      msgParam: JSON.stringify({ title, text, singleTitle: b.title, singleURL: b.url }),
    };
  }
  // sampleActionCard2..5: n vertical buttons actionTitleN / actionURLN.
  const param: Record<string, string> = { title, text };
  buttons.forEach((b, i) => {
    param[`actionTitle${i + 1}`] = b.title;
    param[`actionURL${i + 1}`] = b.url;
  });
  return { msgKey: `sampleActionCard${buttons.length}`, msgParam: JSON.stringify(param) };
}

/** Work notice (asyncsend_v2 `msg`): markdown, or action_card with its buttons. */
export function workNotice(m: RenderedMessage): WorkNoticeMsg {
  const { title, text, buttons } = m;
  if (buttons.length === 0) return { msgtype: 'markdown', markdown: { title, text } };
  if (buttons.length === 1) {
    const [b] = buttons as [{ title: string; url: string }];
    return { msgtype: 'action_card', action_card: { title, markdown: text, single_title: b.title, single_url: b.url } };
  }
  return {
    msgtype: 'action_card',
    action_card: {
      title,
      markdown: text,
      btn_orientation: buttons.length === 2 ? '1' : '0',
      btn_json_list: buttons.map((b) => ({ title: b.title, action_url: b.url })),
    },
  };
}

/** Custom group robot body: markdown, or actionCard with its buttons. */
export function webhook(m: RenderedMessage): WebhookBody {
  const { title, text, buttons } = m;
  if (buttons.length === 0) return { msgtype: 'markdown', markdown: { title, text } };
  if (buttons.length === 1) {
    const [b] = buttons as [{ title: string; url: string }];
    return { msgtype: 'actionCard', actionCard: { title, text, singleTitle: b.title, singleURL: b.url } };
  }
  return {
    msgtype: 'actionCard',
    actionCard: {
      title,
      text,
      btnOrientation: buttons.length === 2 ? '1' : '0',
      btns: buttons.map((b) => ({ title: b.title, actionURL: b.url })),
    },
  };
}

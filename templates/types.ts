// Types shared by every notice template and by the renderer (templates/index.ts).
import type { z } from 'zod';

/** Delivery channels a notice can be rendered for (see docs/dingtalk-wire.md §3–§7). */
export const CHANNELS = ['ROBOT_OTO', 'ROBOT_GROUP', 'WORK_NOTICE', 'WEBHOOK', 'DING', 'CARD'] as const;
/** One delivery channel. */
export type Channel = (typeof CHANNELS)[number];

/** How quickly a notice must go out; the notify workflow maps it to queue priority. */
export type Urgency = 'urgent' | 'normal' | 'bulk';

/** One link button of an action card; both fields are liquid sources (plain text, URL). */
export interface ActionCardButtonSource {
  /** Button title (liquid, plain text). */
  title: string;
  /** Target URL (liquid, `url` filter; absent variables allowed): the button is dropped when it renders empty. */
  url: string;
}

/** Liquid sources of an action card (robot sampleActionCard*, work notice action_card, webhook actionCard). */
export interface ActionCardSource {
  /** Card title (liquid, plain text); defaults to the notice summary. */
  title?: string;
  /** Body (liquid, DingTalk markdown; values are escaped). */
  text: string;
  /** 1–5 buttons (DingTalk has no card with more). */
  buttons: ActionCardButtonSource[];
}

/**
 * Liquid sources of an OA work notice (msgtype `oa`, DingTalk "消息类型与数据格式":
 * https://open.dingtalk.com/document/orgapp/message-types-and-data-format): a header, a title, a
 * few label/value rows and a text, the whole message opening one page (`message_url`). Its status
 * bar can be changed in place later for every recipient of the send (status_bar/update,
 * docs/warning-broadcast.md [W2]), which no other work-notice form allows.
 */
export interface OaSource {
  /** Header text (plain; at most 10 characters; DingTalk shows the app's name there in work notices). */
  head: string;
  /** Header background, AARRGGBB without `0x` (DingTalk's format). */
  headColor: string;
  /** Body title (plain). */
  title: string;
  /** Label/value rows (plain); a row whose value renders empty is left out. */
  form?: Array<{ key: string; value: string }>;
  /** Body text (plain); clipped when the message would pass DingTalk's 2,048 bytes. */
  content: string;
  /** The page the message opens (liquid, `url` filter). */
  url: string;
  /** Status bar text at sending (plain), e.g. 待确认; changed later by status_bar/update. */
  status?: string;
  /** Status bar background, AARRGGBB. */
  statusColor?: string;
}

/** Public and per-user card variables (all strings, DingTalk's rule). */
export type CardParams = Record<string, string>;

/** How a notice maps onto its interactive card layout (templates/cards/<layout>.card.json). */
export interface CardSpec<T> {
  /** File name stem in templates/cards, normally the notice kind. */
  layout: string;
  /** Public cardParamMap: must return every variable the layout lists (empty string when unused). */
  params: (data: T) => CardParams;
  /** Per-user overrides: userId → cardParamMap (keys must be layout variables too). */
  privateParams?: (data: T) => Record<string, CardParams>;
}

/** One notice kind: its data schema, its texts (Chinese) and the channels it can go through. */
export interface NoticeTemplate<S extends z.ZodTypeAny = z.ZodTypeAny> {
  /** Stable kind, kebab-case, e.g. `hazard-alert`. */
  kind: string;
  /** Chinese title, e.g. 防雷安全隐患整改通知. */
  title: string;
  /** zod schema of the data the notice needs. */
  schema: S;
  /** Statutory notices cannot be muted by a recipient. */
  statutory: boolean;
  /** Queue priority class. */
  urgency: Urgency;
  /** Liquid (plain text) for the short title shown in chat lists and notifications; defaults to `title`. */
  summary?: string;
  /** Maps validated data to the liquid scope; defaults to the data itself. */
  view?: (data: z.output<S>) => Record<string, unknown>;
  /** Liquid source of a DingTalk markdown body. */
  markdown?: string;
  /** Liquid sources of an action card with link buttons. */
  actionCard?: ActionCardSource;
  /** Interactive card mapping. */
  card?: CardSpec<z.output<S>>;
  /** An OA work notice (WORK_NOTICE uses it when present, unless a markdown/action-card format is asked for). */
  oa?: OaSource;
  /** Liquid (plain text) for a DING (钉一下) message. */
  ding?: string;
  /** Realistic data that fits `schema`; rendered by checkTemplates at start-up. */
  sample: z.input<S>;
}

/** A notice template with its schema type erased (registry view). */
export type AnyNoticeTemplate = NoticeTemplate<z.ZodTypeAny>;

/** Robot message (batchSend / groupMessages/send): msgParam is a JSON string. */
export interface RobotPayload {
  msgKey: string;
  msgParam: string;
}

/** The `oa` body of a work notice (DingTalk's field names). */
export interface OaMsg {
  message_url: string;
  pc_message_url?: string;
  head: { bgcolor: string; text: string };
  status_bar?: { status_value: string; status_bg?: string };
  body: { title?: string; form?: Array<{ key: string; value: string }>; content?: string };
}

/** Work-notice `msg` object (oapi asyncsend_v2, snake_case). */
export type WorkNoticeMsg =
  | { msgtype: 'oa'; oa: OaMsg }
  | { msgtype: 'markdown'; markdown: { title: string; text: string } }
  | {
      msgtype: 'action_card';
      action_card:
        | { title: string; markdown: string; single_title: string; single_url: string }
        | {
            title: string;
            markdown: string;
            btn_orientation: '0' | '1';
            btn_json_list: Array<{ title: string; action_url: string }>;
          };
    };

/** Custom group robot (webhook) body. */
export type WebhookBody =
  | { msgtype: 'markdown'; markdown: { title: string; text: string } }
  | {
      msgtype: 'actionCard';
      actionCard:
        | { title: string; text: string; singleTitle: string; singleURL: string }
        | { title: string; text: string; btnOrientation: '0' | '1'; btns: Array<{ title: string; actionURL: string }> };
    };

/** DING message text. */
export interface DingPayload {
  content: string;
}

/** Interactive card instance data for createAndDeliver / update. */
export interface CardPayload {
  /** Layout kind (file stem in templates/cards). */
  layout: string;
  /** Tenant template id (DINGTALK_CARD_TEMPLATES) or the layout's default id. */
  templateId: string;
  /** Public variables, strings of at most 1 KB. */
  cardParamMap: CardParams;
  /** Per-user variables, userId → cardParamMap. */
  privateData?: Record<string, { cardParamMap: CardParams }>;
}

/** Channel → payload type returned by renderNotice. */
export interface ChannelPayloads {
  ROBOT_OTO: RobotPayload;
  ROBOT_GROUP: RobotPayload;
  WORK_NOTICE: WorkNoticeMsg;
  WEBHOOK: WebhookBody;
  DING: DingPayload;
  CARD: CardPayload;
}

/** Body form for channels that can take either a markdown message or an action card. */
export type MessageFormat = 'markdown' | 'actionCard';

// Stream-mode frames and the handlers StreamConnection calls. Shapes: docs/dingtalk-wire.md §2
// (open-dingtalk developerpedia protocol.md, dingtalk-stream-sdk-python frames.py/chatbot.py).

/** Stream topic of card button clicks (cards created with callbackType STREAM). */
export const TOPIC_CARD_CALLBACK = '/v1.0/card/instances/callback';
/** Stream topic of messages people send to the robot. */
export const TOPIC_ROBOT_MESSAGE = '/v1.0/im/bot/messages/get';

/** A frame as the gateway sends it (`data` is a JSON string). */
export interface DownstreamFrame {
  specVersion?: string;
  type: 'SYSTEM' | 'EVENT' | 'CALLBACK' | string;
  headers: {
    topic?: string;
    messageId?: string;
    contentType?: string;
    time?: string;
    appId?: string;
    connectionId?: string;
    eventType?: string;
    eventId?: string;
    eventCorpId?: string;
    eventBornTime?: string;
    [key: string]: string | undefined;
  };
  data: string;
}

/** What we send back for a frame. Codes 200 / 400 / 404 / 500. */
export interface AckFrame {
  code: number;
  headers: { contentType: 'application/json'; messageId: string };
  message: string;
  /** JSON string: `{"response": …}` for callbacks, `{"status": …}` for events. */
  data: string;
}

/** A button click on a card created with callbackType STREAM. */
export interface CardCallback {
  type: string;
  outTrackId: string;
  corpId?: string;
  /** The clicking user. */
  userId: string;
  spaceType?: string;
  spaceId?: string;
  /** Button ids (`cardPrivateData.actionIds`). */
  actionIds: string[];
  /** Button parameters (`cardPrivateData.params`). */
  params: Record<string, unknown>;
  /** The full decoded `data`, for fields not modelled here. */
  raw: Record<string, unknown>;
}

/** Card change returned in the ACK (DingTalk applies it at once; answer within ~2 s). */
export interface CardCallbackResponse {
  cardData?: { cardParamMap: Record<string, string> };
  /** The clicking user's private data. */
  userPrivateData?: { cardParamMap: Record<string, string> };
  cardUpdateOptions?: { updateCardDataByKey?: boolean; updatePrivateDataByKey?: boolean };
}

/** A message a person sent to the robot (1:1, or @robot in a group). */
export interface RobotMessage {
  conversationId: string;
  /** "1" single chat, "2" group. */
  conversationType: string;
  conversationTitle?: string;
  msgId: string;
  msgtype: string;
  senderNick?: string;
  senderStaffId?: string;
  senderId?: string;
  senderCorpId?: string;
  chatbotUserId?: string;
  robotCode?: string;
  createAt?: number;
  sessionWebhook?: string;
  sessionWebhookExpiredTime?: number;
  isInAtList?: boolean;
  text?: { content: string };
  content?: unknown;
  [key: string]: unknown;
}

/** An EVENT frame (org/contact/approval events). */
export interface StreamEvent {
  eventType?: string;
  eventId?: string;
  corpId?: string;
  bornTime?: number;
  data: Record<string, unknown>;
}

/** Passed to every handler. */
export interface FrameContext {
  messageId: string;
  topic: string;
  headers: DownstreamFrame['headers'];
  /** Card callbacks: true once the ACK went out without this handler's response (too slow). */
  timedOut(): boolean;
  /**
   * Runs `fn` in one of the dispatcher's card slots (FrameDispatcherOptions.cardConcurrency),
   * waiting for a free one: for work that holds database connections long (transactions), so
   * that clicks queue here rather than at the pool. Quick work need not take a slot.
   */
  limited<T>(fn: () => Promise<T>): Promise<T>;
}

/** Handles a card click; the returned change goes into the ACK if ready within the budget. */
export type CardCallbackHandler = (cb: CardCallback, ctx: FrameContext) => Promise<CardCallbackResponse | void>;
/** Handles a robot message (ACKed before the handler runs). */
export type RobotMessageHandler = (msg: RobotMessage, ctx: FrameContext) => Promise<void>;
/** Handles an event (ACKed SUCCESS before the handler runs). */
export type StreamEventHandler = (event: StreamEvent, ctx: FrameContext) => Promise<void>;

/** What status() reports. */
export interface StreamStatus {
  connected: boolean;
  /** Epoch ms of the last frame or pong, null before the first. */
  lastFrameAt: number | null;
  /** Successful re-connections since start. */
  reconnects: number;
  /** Sockets not yet closed (1 when healthy; 2 only for the moment of a hand-over). */
  openSockets: number;
}

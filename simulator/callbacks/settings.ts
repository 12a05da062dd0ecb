// How a simulated app receives callbacks: a stream frame or an HTTP POST (http-callback.ts).

/** Where and how an app receives callbacks over HTTP. */
export interface HttpCallbackSettings {
  mode: 'stream' | 'http';
  eventUrl?: string;
  robotUrl?: string;
  token?: string;
  /** 43 characters. */
  aesKey?: string;
  /** Default: the AppKey. */
  ownerKey?: string;
}

/** One POST of one event to a request's webhook. */
export interface WebhookPost {
  url: string;
  /** The exact bytes signed (JSON). */
  body: string;
  headers: Record<string, string>;
  timeoutMs: number;
}

/** What the endpoint answered; anything but 2xx is a failed attempt. */
export interface WebhookAnswer {
  status: number;
  /** The start of the response body, for the failure reason. */
  excerpt: string;
}

/**
 * Posts events to the endpoints teams name with their requests. Throws WebhookRefusedError when
 * the URL must never be posted to (the delivery is given up at once) and any other error for a
 * failure worth retrying (timeout, refused connection, DNS).
 */
export interface WebhookPort {
  post(request: WebhookPost): Promise<WebhookAnswer>;
}

/** A URL the factory will not post to (a private address, plain http): retrying cannot help. */
export class WebhookRefusedError extends Error {}

import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SIGNATURE_HEADER, verifyWebhookSignature } from '../workflow/notify/webhook-signature';

/** One delivery as a receiver sees it, after checking its signature. */
export interface ReceivedEvent {
  id: string;
  type: string;
  time: string;
  detail: Record<string, unknown>;
  signatureValid: boolean;
}

export interface WebhookReceiver {
  url: string;
  /** Deliveries answered 2xx, in the order they came. */
  received: ReceivedEvent[];
  /** Every POST, including the ones refused. */
  posts(): number;
  stop(): Promise<void>;
}

/**
 * A webhook endpoint on 127.0.0.1, as a team would run one: it checks each delivery's signature
 * with the shared secret and drops repeats by event id. `refuseFirst` answers that many
 * deliveries 503, to show the factory trying again. For the demo and the tests.
 */
export async function startWebhookReceiver(options: {
  secret: string;
  refuseFirst?: number;
}): Promise<WebhookReceiver> {
  const received: ReceivedEvent[] = [];
  let refuse = options.refuseFirst ?? 0;
  let posts = 0;
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      posts += 1;
      if (refuse > 0) {
        refuse -= 1;
        res.writeHead(503).end('busy, try again');
        return;
      }
      const signature = String(req.headers[SIGNATURE_HEADER] ?? '');
      const event = JSON.parse(body) as Omit<ReceivedEvent, 'signatureValid'>;
      if (!received.some((e) => e.id === event.id)) {
        received.push({
          ...event,
          signatureValid: verifyWebhookSignature(options.secret, signature, body, new Date()),
        });
      }
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/avf-events`,
    received,
    posts: () => posts,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

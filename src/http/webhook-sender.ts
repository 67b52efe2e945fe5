import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { addressRefusal, type AddressRules } from '../domain/private-address';
import {
  WebhookRefusedError,
  type WebhookAnswer,
  type WebhookPort,
  type WebhookPost,
} from '../domain/ports/webhook';

const EXCERPT_CHARS = 200;

export interface WebhookSenderOptions extends AddressRules {
  /** Allow http:// URLs (local runs). */
  allowHttp: boolean;
  /** How host names are resolved (default: the system resolver, as `dns.lookup`). */
  resolve?: (hostname: string) => Promise<LookupAddress[]>;
}

const systemResolve = (hostname: string): Promise<LookupAddress[]> =>
  new Promise((resolve, reject) =>
    dnsLookup(hostname, { all: true }, (err, addresses) => (err ? reject(err) : resolve(addresses))),
  );

/**
 * Resolves like the system, then refuses when any address is a special-purpose one: the check happens on the
 * address the socket connects to, so a host that resolves differently the second time (DNS
 * rebinding) cannot slip through.
 */
function guardedLookup(
  resolve: (hostname: string) => Promise<LookupAddress[]>,
  rules: AddressRules,
): LookupFunction {
  return (hostname, options, callback) => {
    const fail = (err: Error) => callback(err, '', 0);
    resolve(hostname).then((found) => {
      const addresses = found.filter((a) => !options.family || a.family === options.family);
      for (const { address } of addresses) {
        const refusal = addressRefusal(address, rules);
        if (refusal)
          return fail(new WebhookRefusedError(`${hostname} resolves to ${address}, ${refusal.description}`));
      }
      if (options.all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses);
      const first = addresses[0];
      if (!first) return fail(new Error(`${hostname} has no address`));
      callback(null, first.address, first.family);
    }, fail);
  };
}

/** Posts webhook deliveries with node's http(s) client: no redirects followed, a total deadline. */
export class HttpWebhookSender implements WebhookPort {
  constructor(private readonly options: WebhookSenderOptions) {}

  post(request: WebhookPost): Promise<WebhookAnswer> {
    const url = new URL(request.url);
    if (url.protocol !== 'https:' && !(url.protocol === 'http:' && this.options.allowHttp)) {
      return Promise.reject(new WebhookRefusedError(`${url.protocol} URLs are not allowed`));
    }
    const refusal = addressRefusal(url.hostname, this.options);
    if (refusal) return Promise.reject(new WebhookRefusedError(`${url.hostname} is ${refusal.description}`));
    const client = url.protocol === 'https:' ? https : http;
    // The whole exchange (connect, headers and body) within the timeout: an endpoint that trickles
    // its answer is cut off as surely as a silent one.
    const deadline = AbortSignal.timeout(request.timeoutMs);
    return new Promise<WebhookAnswer>((resolveAnswer, rejectAnswer) => {
      const timedOut = () => new Error(`no answer within ${request.timeoutMs} ms`);
      const resolve = resolveAnswer;
      const reject = (err: Error) => rejectAnswer(deadline.aborted ? timedOut() : err);
      const req = client.request(
        url,
        {
          method: 'POST',
          headers: { ...request.headers, 'content-length': Buffer.byteLength(request.body) },
          lookup: guardedLookup(this.options.resolve ?? systemResolve, this.options),
          signal: deadline,
        },
        (res) => {
          let excerpt = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => {
            if (excerpt.length < EXCERPT_CHARS) excerpt += chunk;
          });
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 0, excerpt: excerpt.slice(0, EXCERPT_CHARS) }),
          );
          res.on('error', reject);
          res.on('close', () => {
            if (!res.complete) reject(timedOut());
          });
        },
      );
      req.on('error', reject);
      req.end(request.body);
    });
  }
}

import { request } from 'node:http';
import { Mutex } from 'async-mutex';
import type { CallOutcome } from './call-log';
import type { BehaviourProfile } from './profile';
import type { AwsCall, RawRequest, RawResponse } from './protocol';

/** moto_server, reached over HTTP. */
export interface Upstream {
  /** Sends the request as received, or with another body (a rewritten parameter). */
  send(raw: RawRequest, body?: Buffer): Promise<RawResponse>;
}

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'content-length', 'host']);

export function createUpstream(base: string): Upstream {
  const url = new URL(base);
  return {
    send: (raw, body = raw.body) =>
      new Promise((resolveSend, reject) => {
        const headers: Record<string, string | string[]> = {};
        for (const [k, v] of Object.entries(raw.headers))
          if (v !== undefined && !HOP_BY_HOP.has(k)) headers[k] = v;
        headers['content-length'] = String(body.length);
        headers.host = url.host;
        const req = request(
          { host: url.hostname, port: url.port, method: raw.method, path: raw.path, headers },
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => chunks.push(c));
            res.on('error', reject);
            res.on('end', () => {
              const out: Record<string, string> = {};
              for (const [k, v] of Object.entries(res.headers))
                if (v !== undefined && !HOP_BY_HOP.has(k)) out[k] = Array.isArray(v) ? v.join(', ') : v;
              resolveSend({
                status: res.statusCode ?? 502,
                headers: out,
                body: Buffer.concat(chunks).toString('utf8'),
              });
            });
          },
        );
        req.on('error', reject);
        req.end(body);
      }),
  };
}

/** What a behaviour needs: moto, the profile, a clock and its seeded randomness. */
export interface BehaviourContext {
  upstream: Upstream;
  profile: BehaviourProfile;
  now(): number;
}

/** A behaviour's answer, and how the call log should record it. */
export interface Handled {
  response: RawResponse;
  outcome: CallOutcome;
  code?: string;
  detail?: Record<string, string>;
}

export type Handler = (call: AwsCall) => Promise<Handled>;

/**
 * `handler` taking one call at a time (per `keyOf(call)`, e.g. per StackSet). For behaviours that
 * check a quota or a conflict, wait for moto, then record the call: calls arriving together would
 * otherwise all pass the check before the first is recorded.
 */
export function oneAtATime(handler: Handler, keyOf: (call: AwsCall) => string = () => ''): Handler {
  const locks = new Map<string, Mutex>();
  return (call) => {
    const key = keyOf(call);
    const lock = locks.get(key) ?? new Mutex();
    locks.set(key, lock);
    return lock.runExclusive(() => handler(call));
  };
}

/** A behaviour module: the calls it takes over, keyed `service:Action`. */
export interface Behaviour {
  handlers: Record<string, Handler>;
}

/** Passes a call to moto unchanged; an error answer is recorded as `failed`. */
export async function passThrough(ctx: BehaviourContext, call: AwsCall, body?: Buffer): Promise<Handled> {
  const response = await ctx.upstream.send(call.raw, body);
  return { response, outcome: response.status < 400 ? 'executed' : 'failed' };
}

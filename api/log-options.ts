import type { FastifyServerOptions } from 'fastify';
import { destination, type DestinationStream } from 'pino';
import type { ApiDeps } from './deps';
import { batchedLines } from './log-batches';

/** The longest a log line of `avf serve` waits before it is written. */
const FLUSH_MS = 1000;

/** What a log line may say of a request: these fields and no others (its headers carry tokens). */
type LoggedRequest = {
  method?: string | undefined;
  url?: string | undefined;
  version?: string | undefined;
  host?: string | undefined;
  remoteAddress?: string | undefined;
  remotePort?: number | undefined;
};

/** Anything logged under `req`: a fastify request, or whatever a careless line put there. */
interface RequestLike {
  method?: string;
  url?: string;
  headers?: Record<string, string | string[] | undefined>;
  host?: string;
  ip?: string;
  socket?: { remotePort?: number };
}

/**
 * The request as fastify's own serialiser writes it (method, url, Accept-Version, host, remote
 * address and port), field by field: no other header can reach a line, whatever is logged under
 * `req`. This is what keeps tokens, session cookies, CSRF tokens and Idempotency-Keys out of the
 * logs, at no more cost than fastify's serialiser; pino's `redact` (a copy of every `req` logged
 * and a walk of each path, on every line) is not needed.
 */
function loggedRequest(req: RequestLike): LoggedRequest {
  const version = req.headers?.['accept-version'];
  return {
    method: req.method,
    url: req.url,
    version: typeof version === 'string' ? version : undefined,
    host: req.host,
    remoteAddress: req.ip,
    remotePort: req.socket?.remotePort,
  };
}

const loggedResponse = (reply: { statusCode?: number }) => ({ statusCode: reply.statusCode });

/** The serialisers every API logger uses, over any the caller passes. */
const SERIALIZERS = { req: loggedRequest, res: loggedResponse };

/** fastify's logger option for the API: the caller's, with the serialisers above; false for none. */
export function loggerOption(logger: ApiDeps['logger']): FastifyServerOptions['logger'] {
  if (logger === true) return { serializers: SERIALIZERS };
  if (logger && typeof logger === 'object')
    return { ...logger, serializers: { ...logger.serializers, ...SERIALIZERS } };
  return false;
}

/**
 * Where a long-running API process (`avf serve`) writes its log lines, stdout unless told: gathered
 * into batches of 16 KiB (api/log-batches.ts) written asynchronously, at least once a second and at
 * exit, instead of one synchronous write a line, a system call per request and a measurable share
 * of a small GET's time. What is still buffered when the process is killed outright (SIGKILL, out
 * of memory) is lost: at most a second of lines. The Lambda function keeps pino's synchronous
 * writes, as its process is frozen between invocations.
 */
export function bufferedLogDestination(dest: string | number = 1): DestinationStream {
  return batchedLines(destination({ dest, sync: false }), FLUSH_MS);
}

import { LogController, type FastifyReply, type FastifyRequest } from 'fastify';

/**
 * One log line per request, written when it has been answered: the request (method, url, host,
 * remote address), the status and the response time, under the request's `reqId`. fastify's
 * default writes two (`incoming request`, then `request completed`); each line is a synchronous
 * write, a measurable share of a small GET's time. A request never answered (the process died
 * meanwhile) leaves no line.
 */
export class OneLinePerRequest extends LogController {
  override incomingRequest(): void {}

  override requestCompleted(
    error: Error | null | undefined,
    request: FastifyRequest,
    reply: FastifyReply,
  ): void {
    if (this.isLogDisabled(request)) return;
    const line = { req: request, res: reply, responseTime: reply.elapsedTime };
    if (error) reply.log.error({ ...line, err: error }, 'request errored');
    else reply.log.info(line, 'request completed');
  }
}

import { LogController, type FastifyReply, type FastifyRequest } from 'fastify';

/**
 * One log line per request, written when it has been answered: its method, url, client address,
 * status and response time (ms), under the request's `reqId`, as flat fields (no nested `req` and
 * `res` objects to serialise). fastify's default writes two (`incoming request`, then `request
 * completed`); each line is a measurable share of a small GET's time. A request never answered
 * (the process died meanwhile) leaves no line.
 */
export class OneLinePerRequest extends LogController {
  override incomingRequest(): void {}

  override requestCompleted(
    error: Error | null | undefined,
    request: FastifyRequest,
    reply: FastifyReply,
  ): void {
    if (this.isLogDisabled(request)) return;
    const line = {
      method: request.method,
      url: request.url,
      remoteAddress: request.ip,
      statusCode: reply.statusCode,
      responseTime: reply.elapsedTime,
    };
    if (error) reply.log.error({ ...line, err: error }, 'request errored');
    else reply.log.info(line, 'request completed');
  }
}

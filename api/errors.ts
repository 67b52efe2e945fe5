import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import {
  AvfError,
  AwsError,
  ConflictError,
  ForbiddenError,
  NotFoundError,
  StaleRecordError,
  StoreUnavailableError,
  UnauthorizedError,
  ValidationError,
  type Problem,
} from '../src/domain/errors';
import { IdempotencyKeyReusedError, IdentityCenterUnavailableError } from '../src/workflow/intake';
import { RateLimitedError } from './rate-limit';
import { RequestSchemaError } from './schema-validation';

/** The one error body every failure uses. */
export const ErrorResponseSchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    problems: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  }),
});
export type ErrorResponse = z.infer<typeof ErrorResponseSchema>;

/** The 4xx answers of a route, for its OpenAPI schema: each one is the one error body. */
export const ERROR_RESPONSES = {
  400: ErrorResponseSchema,
  401: ErrorResponseSchema,
  403: ErrorResponseSchema,
  404: ErrorResponseSchema,
  409: ErrorResponseSchema,
} as const;

interface Mapped {
  status: number;
  body: ErrorResponse;
}

const failure = (status: number, code: string, message: string, problems?: Problem[]): Mapped => ({
  status,
  body: { error: problems ? { code, message, problems } : { code, message } },
});

const invalid = (problems: Problem[]): Mapped =>
  failure(400, 'VALIDATION_FAILED', `the request is invalid: ${problems.length} problem(s)`, problems);

/** Our own errors, by class: the only place their HTTP status is decided. */
function mapDomainError(error: AvfError): Mapped | undefined {
  if (error instanceof ValidationError) return invalid(error.problems);
  if (error instanceof UnauthorizedError) return failure(401, error.code, error.message);
  if (error instanceof ForbiddenError) return failure(403, error.code, error.message);
  if (error instanceof NotFoundError) return failure(404, error.code, error.message);
  if (error instanceof ConflictError || error instanceof StaleRecordError)
    return failure(409, error.code, error.message);
  if (error instanceof IdempotencyKeyReusedError) return failure(422, error.code, error.message);
  if (error instanceof RateLimitedError) return failure(429, error.code, error.message);
  if (error instanceof IdentityCenterUnavailableError) return failure(503, error.code, error.message);
  if (error instanceof StoreUnavailableError)
    return failure(
      503,
      error.code,
      `the store cannot be used: ${error.reason}; nothing was stored, try again later`,
    );
  if (error instanceof AwsError)
    return failure(
      503,
      error.code,
      `the factory could not use AWS (${error.message.split('\n')[0] ?? ''}); nothing is wrong with the request: try again later, or ask the factory's operators to check its AWS credentials and access`,
    );
  return undefined;
}

/** fastify's own errors: schema validation and body parsing. Their messages are safe to return. */
function mapFastifyError(error: Partial<FastifyError>): Mapped | undefined {
  if (error instanceof RequestSchemaError) return invalid(error.problems(error.validationContext ?? 'body'));
  if (Array.isArray(error.validation)) {
    const part = error.validationContext ?? 'body';
    return invalid(
      error.validation.map((v) => ({
        path: `${part}${v.instancePath.replace(/\//g, '.')}`,
        message: v.message ?? 'is invalid',
      })),
    );
  }
  const status = error.statusCode ?? 500;
  if (status < 400 || status >= 500 || !error.code?.startsWith('FST_')) return undefined;
  if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE')
    return failure(413, 'BODY_TOO_LARGE', 'the request body is too large');
  if (error.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || error instanceof SyntaxError) {
    return failure(400, 'MALFORMED_JSON', 'the request body is not valid JSON');
  }
  return failure(
    status,
    error.code.replace(/^FST_ERR_(CTP_)?/, ''),
    error.message ?? 'the request is invalid',
  );
}

function mapError(error: unknown): Mapped | undefined {
  if (error instanceof AvfError) return mapDomainError(error);
  if (error instanceof Error) return mapFastifyError(error);
  return undefined;
}

/**
 * The single mapping from errors to HTTP. Bad input is always 4xx; anything unexpected is a 500
 * with a generic message, and the details go to the log only.
 */
export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: unknown, request: FastifyRequest, reply: FastifyReply) => {
    const mapped = mapError(error);
    if (mapped) {
      if (mapped.status === 401) void reply.header('www-authenticate', 'Bearer');
      if (error instanceof RateLimitedError)
        void reply.header('retry-after', String(error.retryAfterSeconds));
      return reply.status(mapped.status).send(mapped.body);
    }
    request.log.error({ err: error }, 'unhandled error');
    return reply
      .status(500)
      .send(failure(500, 'INTERNAL', 'an internal error occurred; it has been logged').body);
  });
  app.setNotFoundHandler((request, reply) =>
    reply
      .status(404)
      .send(failure(404, 'NOT_FOUND', `no route ${request.method} ${request.url.split('?')[0] ?? ''}`).body),
  );
}

/** Prefixes a path relative to a request part with that part: `email` → `body.email`. */
export function inPart(part: string, path: string): string {
  if (path === '') return part;
  return path.startsWith('[') ? `${part}${path}` : `${part}.${path}`;
}

/**
 * For `.catch()` on intake calls: re-throws a ValidationError with its paths located in the request
 * part they came from, so every 400 names fields the same way (`body.email`, `querystring.cursor`).
 */
export function locateProblemsIn(part: 'body' | 'querystring'): (error: unknown) => never {
  return (error: unknown) => {
    if (error instanceof ValidationError) {
      throw new ValidationError(
        error.problems.map((p) => ({ path: inPart(part, p.path), message: p.message })),
      );
    }
    throw error;
  };
}

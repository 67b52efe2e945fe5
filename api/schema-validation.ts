import type { FastifySchemaCompiler } from 'fastify';
import type { z } from 'zod';
import type { Problem } from '../src/domain/errors';
import { zodProblems } from '../src/domain/zod-problems';

/**
 * A request part (body, querystring, params, headers) that failed its zod schema. Keeps zod's
 * issues with their real paths (fastify-type-provider-zod flattens them to `/a/b` strings, which
 * cannot tell `access[0]` from a tag key `0`).
 */
export class RequestSchemaError extends Error {
  readonly issues: z.ZodError;
  /** Set by fastify: which part failed (`body`, `querystring`, `params`, `headers`). */
  validationContext?: string;
  constructor(error: z.ZodError) {
    super('the request does not match its schema');
    this.issues = error;
  }

  /** Every issue, with its path prefixed by the part of the request, e.g. `body.email`. */
  problems(part: string): Problem[] {
    return zodProblems(this.issues, part);
  }
}

/**
 * Validates each request part with its zod schema and reports every issue at once. fastify hands
 * a missing body over as `null`; it is given back as `undefined`, so a schema's default applies.
 */
export const zodValidatorCompiler: FastifySchemaCompiler<z.ZodType> =
  ({ schema, httpPart }) =>
  (data: unknown) => {
    const result = schema.safeParse(httpPart === 'body' && data === null ? undefined : data);
    return result.success ? { value: result.data } : { error: new RequestSchemaError(result.error) };
  };

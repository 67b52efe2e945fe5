import { jsonSchemaTransformObject } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ErrorResponseSchema } from './errors';
import { OPERATIONS } from './openapi-operations';

/**
 * Finishes the OpenAPI document fastify-swagger builds from the routes' zod schemas: every
 * operation gets its operationId and a description, every response a description, every status
 * the server can answer (the error handler's 400/401/413/415/429/500/503 included) the one error
 * envelope by reference, and components no operation uses are dropped. The routes keep only what
 * is theirs: summary, schemas and the statuses of their own rules.
 */

type Json = Record<string, unknown>;
type Operation = Json & { summary?: string; description?: string; security?: unknown[]; responses: Json };

const ERROR_REF = { $ref: '#/components/schemas/ErrorResponse' };
const METHODS = ['get', 'put', 'post', 'patch', 'delete'] as const;

/** What each status means, wherever it appears. */
const RESPONSE_DESCRIPTIONS: Record<string, string> = {
  200: 'Success: the body below.',
  201: 'Created: the body below.',
  202: 'Accepted: stored, and the worker carries it on; the body is its state now.',
  204: 'Done; no body.',
  400: 'Invalid input: `error.problems` names every problem with its field path. Nothing was written.',
  401: 'No valid bearer token: send `Authorization: Bearer TOKEN` (a token from `avf token create`).',
  403: "The token's role or team may not do this.",
  404: "Not found, or not visible to the token's team.",
  409: 'Conflicts with the current state (named in `error.message`); nothing was written.',
  413: 'The request body is larger than 64 KiB.',
  415: 'The request body is not JSON: send `content-type: application/json`.',
  422: 'The Idempotency-Key was used before with another body.',
  429: 'Too many requests from this token (or address): retry after `Retry-After` seconds.',
  500: 'An unexpected error; it is logged on the server with the request id. Nothing to fix in the request.',
  503: 'The factory cannot use its store or AWS right now (named in `error.code` and `error.message`); nothing to fix in the request: try again later.',
};

/** Statuses the shared hooks and error handler can answer on any operation of this kind. */
function commonStatuses(method: string, operation: Operation): string[] {
  const isPublic = Array.isArray(operation.security) && operation.security.length === 0;
  const writes = method !== 'get' && method !== 'delete';
  return [...(isPublic ? [] : ['401', '429', '503']), ...(writes ? ['400', '413', '415'] : []), '500'];
}

function finishResponses(method: string, operation: Operation): Json {
  const responses: Json = {};
  const statuses = new Set([...Object.keys(operation.responses), ...commonStatuses(method, operation)]);
  for (const status of [...statuses].sort()) {
    const given = (operation.responses[status] ?? {}) as Json;
    const description = RESPONSE_DESCRIPTIONS[status] ?? 'See the operation.';
    responses[status] =
      Number(status) >= 400
        ? { description, content: { 'application/json': { schema: ERROR_REF } } }
        : {
            ...given,
            description:
              given.description === 'Default Response' ? description : (given.description ?? description),
          };
  }
  return responses;
}

/** A readable, unique id for an operation no one named yet: `post /v1/a-b/{id}/c` → `postV1ABIdC`. */
export function derivedOperationId(method: string, path: string): string {
  const words = path.split(/[^A-Za-z0-9]+/).filter(Boolean);
  return method + words.map((w) => w[0]!.toUpperCase() + w.slice(1)).join('');
}

function finishOperation(method: string, path: string, operation: Operation): Operation {
  const named = OPERATIONS[`${method.toUpperCase()} ${path}`];
  return {
    ...operation,
    operationId: named?.id ?? derivedOperationId(method, path),
    description: operation.description ?? named?.description ?? `${operation.summary ?? path}.`,
    responses: finishResponses(method, operation),
  };
}

/** Every `#/components/schemas/NAME` the document's paths use, and those they use in turn. */
function usedSchemas(doc: Json, schemas: Json): Set<string> {
  const used = new Set<string>();
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (node === null || typeof node !== 'object') return;
    for (const [key, value] of Object.entries(node)) {
      const name =
        key === '$ref' && typeof value === 'string' ? value.split('#/components/schemas/')[1] : undefined;
      if (name !== undefined && !used.has(name)) {
        used.add(name);
        visit(schemas[name]);
      } else visit(value);
    }
  };
  visit(doc.paths);
  return used;
}

/** fastify-swagger's `transformObject`: the zod provider's components, then the finishing above. */
export function finishOpenApi(input: Parameters<typeof jsonSchemaTransformObject>[0]): Json {
  const doc = jsonSchemaTransformObject(input) as Json & { paths?: Record<string, Json>; components?: Json };
  const paths: Record<string, Json> = {};
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    paths[path] = Object.fromEntries(
      Object.entries(item).map(([method, op]) =>
        (METHODS as readonly string[]).includes(method)
          ? [method, finishOperation(method, path, op as Operation)]
          : [method, op],
      ),
    );
  }
  const components = (doc.components ?? {}) as Json & { schemas?: Json };
  const schemas: Json = {
    ...components.schemas,
    ErrorResponse: z.toJSONSchema(ErrorResponseSchema, { target: 'openapi-3.0' }),
  };
  const finished = { ...doc, paths };
  const used = usedSchemas(finished, schemas);
  return {
    ...finished,
    components: {
      ...components,
      schemas: Object.fromEntries(Object.entries(schemas).filter(([name]) => used.has(name))),
    },
  };
}

import type { FastifyReply, FastifySerializerCompiler } from 'fastify';
import fastJson from 'fast-json-stringify';
import { serializerCompiler as zodSerializerCompiler } from 'fastify-type-provider-zod';
import { z } from 'zod';

/**
 * The JSON Schema of what a response schema outputs, as fast-json-stringify reads it (draft 7), or
 * undefined when zod cannot describe it in JSON Schema (a transform, a date…).
 */
function outputJsonSchema(schema: z.ZodType): object | undefined {
  try {
    return z.toJSONSchema(schema, { io: 'output', target: 'draft-7', unrepresentable: 'throw' });
  } catch {
    return undefined;
  }
}

/**
 * Serialises each response with a function fast-json-stringify compiles, once per route and
 * status, from the JSON Schema of the route's zod response schema (the schema the OpenAPI document
 * is generated from), instead of running zod over every response. Like zod's serialiser it writes
 * only the properties the schema declares and fails (500) when a required one is missing; it does
 * not re-check the values' formats and enums, which the store validated when it read them. A
 * schema JSON Schema cannot describe keeps zod's serialiser.
 */
export const responseSerializerCompiler: FastifySerializerCompiler<z.ZodType> = (route) => {
  const json = route.schema instanceof z.ZodType ? outputJsonSchema(route.schema) : undefined;
  return json ? fastJson(json) : zodSerializerCompiler(route);
};

/** The content type fastify gives a JSON response it serialises itself. */
const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';

/**
 * A payload as the route would send it for the reply's status: serialised by the route's own
 * serializer (above), to be sent with `sendSerialised` now or later.
 */
export function serialiseFor(reply: FastifyReply, payload: unknown): string {
  const body = reply.serialize(payload);
  return typeof body === 'string' ? body : new TextDecoder().decode(body);
}

/** Sends a body `serialiseFor` made, with the headers fastify would have given the payload. */
export function sendSerialised(reply: FastifyReply, body: string): FastifyReply {
  return reply.type(JSON_CONTENT_TYPE).send(body);
}

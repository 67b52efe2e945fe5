import { serializerCompiler as zodSerializerCompiler } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ErrorResponseSchema } from '../../../api/errors';
import { responseSerializerCompiler } from '../../../api/response-serializer';
import { RequestViewSchema, toRequestView } from '../../../api/views';
import { makeRequestRecord } from '../../support/fixtures';

/** What fastify hands a serializer compiler for one route's response. */
function compile(compiler: typeof responseSerializerCompiler, schema: z.ZodType) {
  return compiler({ schema, method: 'GET', url: '/test', httpStatus: '200' });
}

/** The compiled serializer's output and zod's, each parsed back. */
function both(schema: z.ZodType, data: unknown): { compiled: unknown; zod: unknown } {
  return {
    compiled: JSON.parse(compile(responseSerializerCompiler, schema)(data)) as unknown,
    zod: JSON.parse(compile(zodSerializerCompiler, schema)(data)) as unknown,
  };
}

/** A request view with every optional field present, deliveries and events included. */
function fullView() {
  const record = makeRequestRecord({
    status: 'FAILED',
    accountId: '123456789012',
    controls: { passed: 40, failed: 1, error: 2 },
    awsCalls: 211,
    webhook: { url: 'https://hooks.example.com/avf', secret: 'not-shown' },
    events: [
      { seq: 1, type: 'Account Request Status Changed', at: '2025-01-01T00:00:00.000Z', detail: { to: 'X' } },
      { seq: 2, type: 'Drift Detected', at: '2025-01-02T00:00:00.000Z', detail: { n: 1, deep: { a: [1] } } },
    ],
    error: { code: 'AWS_FAILED', message: 'CreateAccount "failed"\n\u2028 again', phase: 'create-account' },
  });
  return toRequestView(record, {
    deliveries: {
      eventbridge: { through: 2, delivered: 2, attempts: 0 },
      webhook: { through: 1, delivered: 0, attempts: 3, lastError: 'HTTP 500', lastAttemptAt: 'x' },
      failed: [{ seq: 1, target: 'webhook', type: 't', attempts: 5, error: 'e', at: 'a' }],
      failedTotal: 1,
    },
  });
}

describe('the response serializer compiled from the JSON Schema', () => {
  it('writes a full request view exactly as zod would', () => {
    const { compiled, zod } = both(RequestViewSchema, fullView());
    expect(compiled).toEqual(zod);
    expect(compiled).toMatchObject({ events: [{ seq: 1 }, { seq: 2 }], deliveries: { failedTotal: 1 } });
  });

  it('writes a QUEUED view with its queue position as zod would', () => {
    const view = toRequestView(
      makeRequestRecord({ queue: { position: 2, of: 7, slotsInUse: 5, slots: 5 } }),
      {},
    );
    const { compiled, zod } = both(RequestViewSchema, view);
    expect(compiled).toEqual(zod);
    expect(compiled).toMatchObject({ queue: { position: 2 } });
  });

  it('leaves out properties the schema does not declare, as zod does', () => {
    const view = { ...fullView(), leaseOwner: 'worker-1', webhook: { url: 'u', secret: 's' } };
    const { compiled, zod } = both(RequestViewSchema, view);
    expect(compiled).toEqual(zod);
    expect(compiled).not.toHaveProperty('leaseOwner');
    expect(compiled).toHaveProperty('webhook', { url: 'u' });
  });

  it('writes an error body with its problems as zod would', () => {
    const body = {
      error: { code: 'VALIDATION', message: 'bad', problems: [{ path: 'body.a', message: 'm' }] },
    };
    const { compiled, zod } = both(ErrorResponseSchema, body);
    expect(compiled).toEqual(zod);
    expect(compiled).toEqual(body);
  });

  it('refuses a response missing a required property, as zod does', () => {
    const view: Partial<ReturnType<typeof fullView>> = fullView();
    delete view.createdBy;
    expect(() => compile(zodSerializerCompiler, RequestViewSchema)(view)).toThrow();
    expect(() => compile(responseSerializerCompiler, RequestViewSchema)(view)).toThrow(/createdBy/);
  });

  it('keeps zod for a schema JSON Schema cannot describe', () => {
    const schema = z.object({ at: z.date(), n: z.number() });
    const serialize = compile(responseSerializerCompiler, schema);
    expect(serialize({ at: new Date('2025-01-01T00:00:00.000Z'), n: 1, extra: true })).toBe(
      '{"at":"2025-01-01T00:00:00.000Z","n":1}',
    );
    expect(() => serialize({ at: 'not a date', n: 1 })).toThrow();
  });
});

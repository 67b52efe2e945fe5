import fc from 'fast-check';
import { fixture, requestBody, storedRequests, submit, type Fixture } from './fixture';

/** Runs per property; the total is reported by the last test. */
const RUNS = 300;
const seen = { inputs: 0, serverErrors: 0 };

const FIELDS = [
  'accountName',
  'email',
  'organizationalUnit',
  'owner',
  'costCenter',
  'budget',
  'access',
  'tags',
];
const POLLUTION_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty'];

const hostile = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 200 }),
  fc.string({ minLength: 5_000, maxLength: 20_000 }),
  fc.constantFrom(
    '\u0000',
    '\u202e',
    '😀'.repeat(40),
    'a'.repeat(65),
    '../../etc/passwd',
    "'; DROP TABLE requests;--",
  ),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.jsonValue({ maxDepth: 3 }),
);

/** The valid body with one field (top level or nested) replaced, removed or given an extra key. */
const nearValid = fc.oneof(
  fc.record({ field: fc.constantFrom(...FIELDS), value: hostile }).map(({ field, value }) => ({
    ...requestBody(),
    [field]: value,
  })),
  fc.constantFrom(...FIELDS).map((field) => {
    const body: Record<string, unknown> = { ...requestBody() };
    delete body[field];
    return body;
  }),
  fc
    .record({ path: fc.constantFrom('owner', 'budget', 'tags'), key: fc.string(), value: hostile })
    .map(({ path, key, value }) => {
      const body = requestBody() as unknown as Record<string, Record<string, unknown>>;
      return { ...body, [path]: { ...body[path], [key]: value } };
    }),
);

/** JSON text with prototype-pollution keys at the top and nested, as a client would send it. */
let emails = 0;
const polluted = fc
  .record({
    key: fc.constantFrom(...POLLUTION_KEYS),
    where: fc.constantFrom('top', 'owner', 'tags'),
    value: fc.oneof(hostile, fc.constant({ polluted: 'yes' })),
  })
  .map(({ key, where, value }) => {
    const inner = `${JSON.stringify(key)}:${JSON.stringify(value ?? null)}`;
    // A fresh email each time, so an accepted body is not refused as a duplicate.
    const body = JSON.stringify(requestBody({ email: `aws+pollution-${++emails}@example.com` }));
    return where === 'top'
      ? body.replace(/^\{/, `{${inner},`)
      : body.replace(`"${where}":{`, `"${where}":{${inner},`);
  });

async function post(f: Fixture, payload: unknown): Promise<number> {
  const res =
    typeof payload === 'string'
      ? await f.app.inject({
          method: 'POST',
          url: '/v1/account-requests',
          headers: { authorization: `Bearer ${f.tokens.payments}`, 'content-type': 'application/json' },
          payload,
        })
      : await submit(f.app, f.tokens.payments, payload as object);
  seen.inputs++;
  if (res.statusCode >= 500) seen.serverErrors++;
  return res.statusCode;
}

/** Posts, expects no 5xx, and expects one more stored request exactly when the answer is 202. */
async function postStoringOnlyAccepted(f: Fixture, payload: unknown): Promise<void> {
  const before = await storedRequests(f.store);
  const status = await post(f, payload);
  expect(status).toBeLessThan(500);
  expect(await storedRequests(f.store)).toBe(status === 202 ? before + 1 : before);
}

describe('fuzzing POST /v1/account-requests', () => {
  let f: Fixture;
  beforeAll(async () => {
    f = await fixture({ rateLimit: { perToken: 1_000_000 } });
  });
  afterAll(() => f.app.close());

  it('never answers 5xx and stores nothing for arbitrary JSON', async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue({ maxDepth: 4 }), async (value) => {
        const status = await post(f, { value });
        expect(status).toBe(400);
        expect(await post(f, JSON.stringify(value))).toBeLessThan(500);
      }),
      { numRuns: RUNS },
    );
    expect(await storedRequests(f.store)).toBe(0);
  });

  it('never answers 5xx for near-valid bodies, and stores only what it accepts', async () => {
    await fc.assert(
      fc.asyncProperty(nearValid, (body) => postStoringOnlyAccepted(f, body)),
      { numRuns: RUNS },
    );
  });

  it('never answers 5xx for prototype-pollution keys, and pollutes nothing', async () => {
    await fc.assert(
      fc.asyncProperty(polluted, async (text) => {
        // Only a tag may be called e.g. `constructor`: kept as a plain key, never as a prototype.
        await postStoringOnlyAccepted(f, text);
        expect(Object.prototype).not.toHaveProperty('polluted');
      }),
      { numRuns: RUNS },
    );
  });

  it('never answers 5xx for arbitrary bytes as the body', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: 'binary', maxLength: 2_000 }), async (text) => {
        expect(await post(f, text)).toBeLessThan(500);
      }),
      { numRuns: RUNS },
    );
  });

  it('ran every input without a 5xx', () => {
    // numRuns per property × properties (the arbitrary-JSON property posts twice per run).
    expect(seen.inputs).toBe(RUNS * 5);
    expect(seen.serverErrors).toBe(0);
  });
});

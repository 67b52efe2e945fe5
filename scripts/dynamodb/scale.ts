import { initialSteps, REQUEST_STATUSES, type RequestRecord } from '../../src/domain/account-request';
import type { Store } from '../../src/store/open-store';
import { requestItem } from '../../src/store/dynamodb/request-items';
import { DELIVERY_JOB } from '../../src/workflow/notify/outbox';

/** How the seeded requests spread: one in `accountsEvery` is READY with an account. */
export interface SeedShape {
  requests: number;
  /** Requests that are READY with an account id (the rest spread over the other statuses). */
  accounts: number;
  teams: number;
}

const TEAMS = (n: number) => Array.from({ length: n }, (_, i) => `team-${i}`);
const OTHER_STATUSES = REQUEST_STATUSES.filter((s) => s !== 'READY');

/** The i-th seeded request: a valid record, created a second after the one before. */
export function seededRecord(
  i: number,
  shape: SeedShape,
  start = Date.parse('2026-01-01T00:00:00Z'),
): RequestRecord {
  const createdAt = new Date(start + i * 1000).toISOString();
  const id = `seed-${String(i).padStart(7, '0')}`;
  const team = TEAMS(shape.teams)[i % shape.teams]!;
  const ready = i < shape.accounts;
  return {
    schemaVersion: 1,
    id,
    version: 1,
    status: ready ? 'READY' : OTHER_STATUSES[i % OTHER_STATUSES.length]!,
    phase: ready ? 'release-quarantine' : 'create-account',
    team,
    spec: {
      accountName: `seed-${i}`,
      email: `aws+seed-${i}@example.com`,
      organizationalUnit: 'Workloads/Dev',
      owner: { team, email: `${team}-lead@example.com` },
      costCenter: 'CC-1234',
      budget: { monthlyLimitUsd: 500, thresholdsPercent: [80, 100] },
      access: [{ group: `${team}-devs`, permissionSet: 'Developer' }],
      tags: { env: 'dev' },
    },
    handles: {},
    attempts: 0,
    nextCheckAt: createdAt,
    createdAt,
    updatedAt: createdAt,
    createdBy: `token:${team}`,
    steps: initialSteps(),
    ...(ready ? { accountId: String(100_000_000_000 + i) } : {}),
  };
}

/** DynamoDB JSON for the flat items the store writes (strings and numbers). */
function wire(item: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(item)) {
    if (typeof value === 'string') out[name] = { S: value };
    else if (typeof value === 'number') out[name] = { N: String(value) };
  }
  return out;
}

async function dynamo(endpoint: string, operation: string, body: unknown): Promise<Record<string, unknown>> {
  const res = await fetch(endpoint, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-amz-json-1.0',
      'x-amz-target': `DynamoDB_20120810.${operation}`,
      authorization: 'AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/dynamodb/aws4_request',
    },
    body: JSON.stringify(body),
  });
  const answer = (await res.json()) as Record<string, unknown>;
  if (!res.ok) throw new Error(`${operation}: HTTP ${res.status} ${JSON.stringify(answer)}`);
  return answer;
}

/**
 * Writes `shape.requests` request items (as the store writes them: requestItem) straight into the
 * table with BatchWriteItem, 25 at a time and `parallel` batches at once: the fast way to a
 * table of realistic size. Only an emulator's table: it bypasses the store's email holds.
 */
export async function seedRequests(
  endpoint: string,
  table: string,
  shape: SeedShape,
  options: { parallel?: number; onProgress?: (done: number) => void } = {},
): Promise<void> {
  const batches: number[][] = [];
  for (let i = 0; i < shape.requests; i += 25)
    batches.push(Array.from({ length: Math.min(25, shape.requests - i) }, (_, j) => i + j));
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < batches.length) {
      const batch = batches[next++]!;
      let pending: unknown[] = batch.map((i) => ({
        PutRequest: { Item: wire(requestItem(seededRecord(i, shape))) },
      }));
      while (pending.length > 0) {
        const answer = await dynamo(endpoint, 'BatchWriteItem', { RequestItems: { [table]: pending } });
        pending = ((answer.UnprocessedItems as Record<string, unknown[]> | undefined) ?? {})[table] ?? [];
      }
      done += batch.length;
      options.onProgress?.(done);
    }
  };
  await Promise.all(Array.from({ length: options.parallel ?? 4 }, worker));
}

/**
 * Every listing and lookup the API and the worker make, each page after page to the end (or
 * `maxPages`): what must be answered by a Query on a key or an index, never a Scan.
 */
export async function exerciseReads(store: Store, shape: SeedShape, maxPages = 5): Promise<number> {
  let pages = 0;
  const walk = async (page: (cursor?: string) => Promise<{ nextCursor?: string }>) => {
    let cursor: string | undefined;
    for (let i = 0; i < maxPages; i++) {
      const next = await page(cursor);
      pages++;
      cursor = next.nextCursor;
      if (!cursor) break;
    }
  };
  const team = TEAMS(shape.teams)[0]!;
  const at = (cursor?: string) => (cursor ? { cursor } : {});
  await walk((c) => store.list({ limit: 100, ...at(c) }));
  for (const status of REQUEST_STATUSES) {
    await walk((c) => store.list({ status, limit: 100, ...at(c) }));
    await walk((c) => store.list({ status, team, limit: 100, ...at(c) }));
  }
  await walk((c) => store.list({ team, limit: 100, ...at(c) }));
  await walk((c) => store.listAudit({ limit: 100, ...at(c) }));
  await walk((c) => store.jobs.listJobs(DELIVERY_JOB, { limit: 100, ...at(c) }));
  const last = seededRecord(shape.requests - 1, shape);
  await store.get(last.id);
  await store.findByEmail(last.spec.email);
  await store.findByAccountId(seededRecord(0, shape).accountId!);
  await store.claimDue({ now: new Date('2030-01-01T00:00:00Z'), owner: 'scale', leaseMs: 60_000, limit: 25 });
  return pages;
}

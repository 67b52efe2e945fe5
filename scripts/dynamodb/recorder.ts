import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One DynamoDB call as it crossed the wire, with the capacity DynamoDB (or moto) said it used. */
export interface RecordedDynamoCall {
  operation: string;
  table?: string;
  index?: string;
  request: Record<string, unknown>;
  response: Record<string, unknown>;
  /** ConsumedCapacity's CapacityUnits summed over the tables and indexes answered. */
  consumedUnits: number;
}

/** Operations that accept ReturnConsumedCapacity. */
const REPORTS_CAPACITY = new Set([
  'GetItem',
  'PutItem',
  'UpdateItem',
  'DeleteItem',
  'Query',
  'Scan',
  'BatchGetItem',
  'BatchWriteItem',
  'TransactGetItems',
  'TransactWriteItems',
]);

export interface DynamoRecorder {
  /** Point AWS_ENDPOINT_URL (or a store's endpoint) here; every call is forwarded to `upstream`. */
  endpoint: string;
  calls: RecordedDynamoCall[];
  /** Forgets what was recorded so far. */
  reset(): void;
  stop(): Promise<void>;
}

async function body(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

const unitsOf = (consumed: unknown): number => {
  const list = (Array.isArray(consumed) ? consumed : consumed ? [consumed] : []) as Array<{
    CapacityUnits?: number;
  }>;
  return list.reduce((sum, c) => sum + (c.CapacityUnits ?? 0), 0);
};

/**
 * A recording proxy in front of an AWS endpoint: DynamoDB calls (JSON protocol, target
 * `DynamoDB_20120810.*`) are recorded with their request and answer and asked to return their
 * consumed capacity; every other call passes through untouched. What a test or benchmark uses to
 * see exactly which operations the store sends (a Scan among them fails a test).
 */
export async function startDynamoRecorder(upstream: string): Promise<DynamoRecorder> {
  const calls: RecordedDynamoCall[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    void (async () => {
      const target = String(req.headers['x-amz-target'] ?? '');
      const operation = target.startsWith('DynamoDB_20120810.') ? target.slice(target.indexOf('.') + 1) : '';
      let payload = await body(req);
      let request: Record<string, unknown> = {};
      if (operation) {
        request = JSON.parse(payload.toString() || '{}') as Record<string, unknown>;
        if (REPORTS_CAPACITY.has(operation)) {
          payload = Buffer.from(JSON.stringify({ ...request, ReturnConsumedCapacity: 'INDEXES' }));
        }
      }
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(req.headers))
        if (typeof value === 'string' && name !== 'host') headers[name] = value;
      headers['content-length'] = String(payload.length);
      const answer = await fetch(`${upstream}${req.url ?? '/'}`, {
        method: req.method,
        headers,
        ...(req.method === 'GET' || req.method === 'HEAD' ? {} : { body: payload }),
      });
      const text = Buffer.from(await answer.arrayBuffer());
      if (operation) {
        const response = JSON.parse(text.toString() || '{}') as Record<string, unknown>;
        calls.push({
          operation,
          ...(typeof request.TableName === 'string' ? { table: request.TableName } : {}),
          ...(typeof request.IndexName === 'string' ? { index: request.IndexName } : {}),
          request,
          response,
          consumedUnits: unitsOf(response.ConsumedCapacity),
        });
      }
      const out: Record<string, string> = {};
      answer.headers.forEach((value, name) => {
        if (name !== 'content-length' && name !== 'content-encoding' && name !== 'transfer-encoding')
          out[name] = value;
      });
      res.writeHead(answer.status, { ...out, 'content-length': String(text.length) });
      res.end(text);
    })().catch((err: unknown) => {
      res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(String(err));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    calls,
    reset: () => void calls.splice(0),
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

import { randomUUID } from 'node:crypto';

const ACCOUNT = '123456789012';
const REGION = 'us-east-1';

/** What API Gateway (HTTP API, payload format 2.0) hands the function for one request. */
export function httpApiEvent(
  method: string,
  path: string,
  options: { token?: string; body?: unknown } = {},
): Record<string, unknown> {
  const [rawPath = path, rawQueryString = ''] = path.split('?');
  const headers: Record<string, string> = {
    host: 'abc123.execute-api.us-east-1.amazonaws.com',
    'user-agent': 'avf-test',
    'x-forwarded-for': '203.0.113.7',
    'x-forwarded-proto': 'https',
    ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
    ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
  };
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath,
    rawQueryString,
    headers,
    requestContext: {
      accountId: ACCOUNT,
      apiId: 'abc123',
      domainName: headers.host,
      domainPrefix: 'abc123',
      http: { method, path: rawPath, protocol: 'HTTP/1.1', sourceIp: '203.0.113.7', userAgent: 'avf-test' },
      requestId: randomUUID(),
      routeKey: '$default',
      stage: '$default',
      time: new Date().toUTCString(),
      timeEpoch: Date.now(),
    },
    ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
    isBase64Encoded: false,
  };
}

/** The answer a function gives API Gateway (payload format 2.0). */
export interface HttpApiAnswer {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
  isBase64Encoded: boolean;
}

/** What an EventBridge schedule rule hands its target every minute. */
export function scheduleEvent(ruleName: string): Record<string, unknown> {
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': 'Scheduled Event',
    source: 'aws.events',
    account: ACCOUNT,
    time: new Date().toISOString(),
    region: REGION,
    resources: [`arn:aws:events:${REGION}:${ACCOUNT}:rule/${ruleName}`],
    detail: {},
  };
}

/** A DynamoDB stream batch (KEYS_ONLY) of inserted items, as the event source mapping delivers it. */
export function streamBatch(
  tableName: string,
  keys: Array<Record<string, string>>,
  eventName: 'INSERT' | 'MODIFY' | 'REMOVE' = 'INSERT',
): { Records: Array<Record<string, unknown>> } {
  const streamArn = `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/${tableName}/stream/2026-01-01T00:00:00.000`;
  return {
    Records: keys.map((key, i) => ({
      eventID: randomUUID().replace(/-/g, ''),
      eventName,
      eventVersion: '1.1',
      eventSource: 'aws:dynamodb',
      awsRegion: REGION,
      dynamodb: {
        ApproximateCreationDateTime: Math.floor(Date.now() / 1000),
        Keys: Object.fromEntries(Object.entries(key).map(([name, value]) => [name, { S: value }])),
        SequenceNumber: String(1000 + i).padStart(21, '0'),
        SizeBytes: 64,
        StreamViewType: 'KEYS_ONLY',
      },
      eventSourceARN: streamArn,
    })),
  };
}

/**
 * Whether a record passes a Lambda event filter pattern (the subset the template uses: nested
 * objects, and arrays listing the values allowed).
 */
export function matchesFilter(record: unknown, pattern: unknown): boolean {
  if (Array.isArray(pattern)) return pattern.includes(record);
  if (pattern && typeof pattern === 'object') {
    return Object.entries(pattern).every(([key, sub]) =>
      matchesFilter((record as Record<string, unknown> | undefined)?.[key], sub),
    );
  }
  return record === pattern;
}

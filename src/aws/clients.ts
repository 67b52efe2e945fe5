import { AccountClient } from '@aws-sdk/client-account';
import { AccessAnalyzerClient } from '@aws-sdk/client-accessanalyzer';
import { BudgetsClient } from '@aws-sdk/client-budgets';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { CostExplorerClient } from '@aws-sdk/client-cost-explorer';
import { ConfigServiceClient } from '@aws-sdk/client-config-service';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EC2Client } from '@aws-sdk/client-ec2';
import { GuardDutyClient } from '@aws-sdk/client-guardduty';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { IAMClient } from '@aws-sdk/client-iam';
import { IdentitystoreClient } from '@aws-sdk/client-identitystore';
import { KMSClient } from '@aws-sdk/client-kms';
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { S3Client } from '@aws-sdk/client-s3';
import { S3ControlClient } from '@aws-sdk/client-s3-control';
import { SecurityHubClient } from '@aws-sdk/client-securityhub';
import { SSOAdminClient } from '@aws-sdk/client-sso-admin';
import { STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentials } from '../domain/ports/aws';
import { recordAwsCall, recordAwsThrottle } from '../metrics/registry';
import { isThrottling } from './errors';
import { apiFamilyOfService, type ApiRateLimiter } from './rate-limited';

export interface ClientFactoryOptions {
  /** Home region: StackSets, Identity Center and the regional hardening calls default to it. */
  region: string;
  /** A custom endpoint such as moto_server's. Default: `process.env.AWS_ENDPOINT_URL`. */
  endpoint?: string;
  /** Credentials to use, e.g. an assumed role in a member account. Default: the SDK's chain. */
  credentials?: AwsCredentials;
  /**
   * The client-side API rates: every request of a rate-limited family (each page, each retry)
   * waits for its token. Default: none (member-account clients, the bootstrap, the store).
   */
  limiter?: ApiRateLimiter;
  /** How long one attempt may take (default: ATTEMPT_TIMEOUTS). */
  timeouts?: AttemptTimeouts;
}

/** Limits on one HTTP attempt, in ms: connecting, and the whole request and response. */
export interface AttemptTimeouts {
  connectionMs: number;
  requestMs: number;
}

/**
 * The AWS CLI's defaults (60 s to connect, 60 s to read). An attempt past either fails with
 * TimeoutError, which the SDK retries like any network error; without them an AWS call that
 * never answers would hold its step, and the step's record, until the lease keeper gives up.
 */
export const ATTEMPT_TIMEOUTS: AttemptTimeouts = { connectionMs: 60_000, requestMs: 60_000 };

/** Every SDK client the factory uses, built with the settings chosen once, here. */
export interface ClientFactory {
  readonly region: string;
  readonly endpoint: string | undefined;
  organizations(): OrganizationsClient;
  /**
   * Organizations client that never retries: CreateAccount has no idempotency token, so a
   * retried request could create a second account. The reconciler looks up before re-creating.
   */
  organizationsNoRetry(): OrganizationsClient;
  cloudFormation(region?: string): CloudFormationClient;
  ssoAdmin(region?: string): SSOAdminClient;
  identityStore(region?: string): IdentitystoreClient;
  budgets(): BudgetsClient;
  /** Cost Explorer has one endpoint, in us-east-1, whatever the home region. */
  costExplorer(): CostExplorerClient;
  sts(): STSClient;
  iam(): IAMClient;
  ec2(region?: string): EC2Client;
  s3(region?: string): S3Client;
  s3Control(region?: string): S3ControlClient;
  cloudTrail(region?: string): CloudTrailClient;
  kms(region?: string): KMSClient;
  securityHub(region?: string): SecurityHubClient;
  accessAnalyzer(region?: string): AccessAnalyzerClient;
  configService(region?: string): ConfigServiceClient;
  guardDuty(region?: string): GuardDutyClient;
  eventBridge(region?: string): EventBridgeClient;
  /** AWS Account Management: alternate contacts of member accounts, from the management account. */
  account(): AccountClient;
  /** The state store's table (AVF_STORE=dynamodb:TABLE). */
  dynamoDb(): DynamoDBClient;
}

/** What every SDK v3 client has: a middleware stack. */
interface HasMiddleware {
  middlewareStack: {
    add: (middleware: never, options: never) => void;
    addRelativeTo: (middleware: never, options: never) => void;
  };
}

type Handler = (args: unknown) => Promise<unknown>;
type Middleware = (next: Handler, context: { commandName?: string }) => Handler;

/** AWS's name of the operation a middleware sees, e.g. `ListAccounts`. */
const operationOf = (context: { commandName?: string }) =>
  context.commandName?.replace(/Command$/, '') ?? 'unknown';

/**
 * Counts every attempt the client sends (the middleware sits inside the retry loop) for the
 * `avf_aws_calls_total` metric and the per-request polling cost, and every throttled attempt.
 */
function countCalls(client: HasMiddleware, service: string): void {
  const middleware: Middleware = (next, context) => async (args) => {
    const operation = operationOf(context);
    recordAwsCall(service, operation);
    try {
      return await next(args);
    } catch (err) {
      if (isThrottling(err)) recordAwsThrottle(service, operation);
      throw err;
    }
  };
  (client.middlewareStack.add as (m: Middleware, o: object) => void)(middleware, {
    step: 'finalizeRequest',
    priority: 'low',
    name: 'avfCallCounter',
  });
}

/** The name the pacing middleware has in a client's middleware stack. */
export const PACING_MIDDLEWARE = 'avfRequestPacing';

/**
 * Makes every attempt the client sends wait for its family's token: inside the retry loop, so a
 * retry waits its turn too, and before signing, so a long wait cannot outlive the signature.
 */
function paceRequests(client: HasMiddleware, service: string, limiter: ApiRateLimiter): void {
  const family = apiFamilyOfService(service);
  if (family === undefined) return;
  const middleware: Middleware = (next, context) => async (args) => {
    await limiter.take(family, operationOf(context));
    return next(args);
  };
  (client.middlewareStack.addRelativeTo as (m: Middleware, o: object) => void)(middleware, {
    relation: 'before',
    toMiddleware: 'httpSigningMiddleware',
    name: PACING_MIDDLEWARE,
  });
}

/** Standard SDK retry (jittered backoff on throttling, 5xx and network errors), 1 try + 2 retries. */
const MAX_ATTEMPTS = 3;

/** Builds each client once per region and keeps it: one retry-token bucket per client. */
export function createClientFactory(options: ClientFactoryOptions): ClientFactory {
  const endpoint = options.endpoint ?? process.env.AWS_ENDPOINT_URL;
  const cache = new Map<string, unknown>();
  const timeouts = options.timeouts ?? ATTEMPT_TIMEOUTS;
  const requestHandler = {
    connectionTimeout: timeouts.connectionMs,
    requestTimeout: timeouts.requestMs,
    throwOnRequestTimeout: true,
  };

  const base = (region: string, maxAttempts = MAX_ATTEMPTS) => ({
    region,
    retryMode: 'standard',
    maxAttempts,
    requestHandler,
    ...(endpoint ? { endpoint } : {}),
    ...(options.credentials ? { credentials: options.credentials } : {}),
  });

  function cached<C extends HasMiddleware>(
    service: string,
    region: string | undefined,
    build: (region: string) => C,
  ): C {
    const key = `${service}@${region ?? options.region}`;
    if (!cache.has(key)) {
      const client = build(region ?? options.region);
      countCalls(client, service.replace(/-no-retry$/, ''));
      if (options.limiter) paceRequests(client, service, options.limiter);
      cache.set(key, client);
    }
    return cache.get(key) as C;
  }

  return {
    region: options.region,
    endpoint,
    organizations: () => cached('organizations', undefined, (r) => new OrganizationsClient(base(r))),
    organizationsNoRetry: () =>
      cached('organizations-no-retry', undefined, (r) => new OrganizationsClient(base(r, 1))),
    cloudFormation: (region) => cached('cloudformation', region, (r) => new CloudFormationClient(base(r))),
    ssoAdmin: (region) => cached('sso-admin', region, (r) => new SSOAdminClient(base(r))),
    identityStore: (region) => cached('identitystore', region, (r) => new IdentitystoreClient(base(r))),
    budgets: () => cached('budgets', undefined, (r) => new BudgetsClient(base(r))),
    costExplorer: () => cached('ce', 'us-east-1', (r) => new CostExplorerClient(base(r))),
    sts: () => cached('sts', undefined, (r) => new STSClient(base(r))),
    iam: () => cached('iam', undefined, (r) => new IAMClient(base(r))),
    ec2: (region) => cached('ec2', region, (r) => new EC2Client(base(r))),
    cloudTrail: (region) => cached('cloudtrail', region, (r) => new CloudTrailClient(base(r))),
    kms: (region) => cached('kms', region, (r) => new KMSClient(base(r))),
    securityHub: (region) => cached('securityhub', region, (r) => new SecurityHubClient(base(r))),
    accessAnalyzer: (region) => cached('access-analyzer', region, (r) => new AccessAnalyzerClient(base(r))),
    configService: (region) => cached('config', region, (r) => new ConfigServiceClient(base(r))),
    guardDuty: (region) => cached('guardduty', region, (r) => new GuardDutyClient(base(r))),
    eventBridge: (region) => cached('events', region, (r) => new EventBridgeClient(base(r))),
    account: () => cached('account', undefined, (r) => new AccountClient(base(r))),
    dynamoDb: () => cached('dynamodb', undefined, (r) => new DynamoDBClient(base(r))),
    // Path style: a hostname endpoint (localhost, a docker service) cannot take bucket subdomains.
    s3: (region) => cached('s3', region, (r) => new S3Client({ ...base(r), forcePathStyle: true })),
    // The S3 Control endpoint rules prepend `{AccountId}.` to any custom endpoint's host, which
    // breaks IP and localhost endpoints; with an endpoint set, send requests to it as given.
    s3Control: (region) =>
      cached(
        's3control',
        region,
        (r) =>
          new S3ControlClient({
            ...base(r),
            ...(endpoint ? { endpointProvider: () => ({ url: new URL(endpoint) }) } : {}),
          }),
      ),
  };
}

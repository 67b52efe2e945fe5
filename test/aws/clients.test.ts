import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ListRootsCommand } from '@aws-sdk/client-organizations';
import { ATTEMPT_TIMEOUTS, createClientFactory } from '../../src/aws/clients';
import { toAwsError } from '../../src/aws/errors';

const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret', sessionToken: 'token' };

describe('createClientFactory', () => {
  const clients = createClientFactory({
    region: 'eu-west-1',
    endpoint: 'http://127.0.0.1:5077',
    credentials,
  });

  test('every client gets the region, endpoint, credentials and standard retry with 3 attempts', async () => {
    for (const client of [
      clients.organizations(),
      clients.cloudFormation(),
      clients.ssoAdmin(),
      clients.budgets(),
      clients.sts(),
      clients.iam(),
    ]) {
      expect(await client.config.region()).toBe('eu-west-1');
      expect(client.config.retryMode).toBe('standard');
      expect(await client.config.maxAttempts()).toBe(3);
      expect(await client.config.endpoint?.()).toMatchObject({
        hostname: '127.0.0.1',
        port: 5077,
        protocol: 'http:',
      });
      expect(await client.config.credentials()).toMatchObject(credentials);
    }
  });

  test('the CreateAccount client makes a single attempt', async () => {
    expect(await clients.organizationsNoRetry().config.maxAttempts()).toBe(1);
    expect(clients.organizationsNoRetry()).not.toBe(clients.organizations());
  });

  test('clients are built once per service and region', async () => {
    expect(clients.ec2()).toBe(clients.ec2('eu-west-1'));
    expect(clients.ec2('ap-south-1')).toBe(clients.ec2('ap-south-1'));
    expect(clients.ec2('ap-south-1')).not.toBe(clients.ec2());
    expect(await clients.ec2('ap-south-1').config.region()).toBe('ap-south-1');
  });

  test('S3 uses path-style addressing', () => {
    expect(clients.s3().config.forcePathStyle).toBe(true);
  });

  test('S3 Control sends to the custom endpoint as given, without an account prefix on the host', () => {
    const endpoint = clients
      .s3Control()
      .config.endpointProvider({ AccountId: '111122223333', Region: 'eu-west-1' });
    expect(endpoint.url.href).toBe('http://127.0.0.1:5077/');
  });

  describe('without an endpoint', () => {
    const saved = process.env.AWS_ENDPOINT_URL;
    beforeEach(() => delete process.env.AWS_ENDPOINT_URL);
    afterEach(() => {
      if (saved === undefined) delete process.env.AWS_ENDPOINT_URL;
      else process.env.AWS_ENDPOINT_URL = saved;
    });

    test('S3 Control keeps the SDK endpoint rules', () => {
      const real = createClientFactory({ region: 'us-east-1' });
      expect(real.endpoint).toBeUndefined();
      const endpoint = real.s3Control().config.endpointProvider({
        AccountId: '111122223333',
        Region: 'us-east-1',
        UseFIPS: false,
        UseDualStack: false,
        RequiresAccountId: true,
      });
      expect(endpoint.url.hostname).toBe('111122223333.s3-control.us-east-1.amazonaws.com');
    });

    test('AWS_ENDPOINT_URL is the default endpoint', () => {
      process.env.AWS_ENDPOINT_URL = 'http://localhost:4566';
      expect(createClientFactory({ region: 'us-east-1' }).endpoint).toBe('http://localhost:4566');
    });
  });

  describe('an endpoint that takes requests and never answers', () => {
    let server: Server;
    let requests = 0;
    beforeAll(async () => {
      server = createServer(() => {
        requests += 1; // and never a response
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    });
    afterAll(async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    });

    test('each attempt ends at the request timeout, is retried, and the call fails as a retryable network error', async () => {
      const { port } = server.address() as AddressInfo;
      const hung = createClientFactory({
        region: 'us-east-1',
        endpoint: `http://127.0.0.1:${port}`,
        credentials,
        timeouts: { connectionMs: 1_000, requestMs: 300 },
      });
      const err: unknown = await hung
        .organizations()
        .send(new ListRootsCommand({}))
        .then(
          () => undefined,
          (e: unknown) => e,
        );
      expect(err).toMatchObject({ name: 'TimeoutError' });
      // the last attempt's request may be read by the server after the client gave up on it (a
      // loaded machine runs the timeout first): give the server a moment to count it
      for (let i = 0; i < 100 && requests < 3; i++) await new Promise((r) => setTimeout(r, 20));
      expect(requests).toBe(3);
      expect(toAwsError('organizations:ListRoots', err)).toMatchObject({ retryable: true });
    });

    test('by default an attempt may take a minute to connect and a minute in all', async () => {
      expect(ATTEMPT_TIMEOUTS).toEqual({ connectionMs: 60_000, requestMs: 60_000 });
      const handler = clients.organizations().config.requestHandler as unknown as {
        configProvider: Promise<Record<string, unknown>>;
      };
      expect(await handler.configProvider).toMatchObject({
        connectionTimeout: 60_000,
        requestTimeout: 60_000,
        throwOnRequestTimeout: true,
      });
    });
  });
});

import { createClientFactory } from '../../src/aws/clients';

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
});

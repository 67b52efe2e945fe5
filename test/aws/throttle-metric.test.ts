import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createClientFactory } from '../../src/aws/clients';
import { awsThrottlesSoFar, registry } from '../../src/metrics/registry';

/** An endpoint that throttles every call, as DynamoDB does past a partition's capacity. */
describe('throttled AWS calls are counted (AwsThrottles on Lambda, avf_aws_throttles_total on /metrics)', () => {
  let server: Server;
  let endpoint: string;

  beforeAll(async () => {
    server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        res.writeHead(400, {
          'content-type': 'application/x-amz-json-1.0',
          'x-amzn-errortype': 'ThrottlingException',
        });
        res.end(
          JSON.stringify({
            __type: 'com.amazonaws.dynamodb.v20120810#ThrottlingException',
            message: 'Rate exceeded',
          }),
        );
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('counts every throttled attempt, retries included, by service and operation', async () => {
    const before = awsThrottlesSoFar();
    const client = createClientFactory({
      region: 'us-east-1',
      endpoint,
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    }).dynamoDb();
    await expect(client.send(new DescribeTableCommand({ TableName: 't' }))).rejects.toThrow('Rate exceeded');
    // One try and two retries, each throttled.
    expect(awsThrottlesSoFar() - before).toBe(3);
    expect(await registry.getSingleMetricAsString('avf_aws_throttles_total')).toContain(
      'avf_aws_throttles_total{service="dynamodb",operation="DescribeTable"} 3',
    );
  });
});

import {
  CreateRouteTableCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
  EC2Client,
} from '@aws-sdk/client-ec2';
import { EventBridgeClient, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { CreatePolicyCommand, IAMClient } from '@aws-sdk/client-iam';
import { S3Client, CreateBucketCommand } from '@aws-sdk/client-s3';
import { createAwsPorts } from '../../src/aws';
import type { AwsPorts } from '../../src/domain/ports/aws';
import { startMoto, type LocalAws } from '../../src/local/moto';
import { countAwsCalls } from '../../src/metrics/registry';
import { pagesOf, type Listings } from '../../scripts/sim/model/pages';

/**
 * The simulator counts a port call as the AWS requests its adapter sends (scripts/sim/model/pages.ts).
 * Here each port method it counts as more than one request runs against moto, and the requests
 * the SDK clients really sent must equal the model's count for that call's answer.
 */

const REGION = 'us-east-1';
const ACCOUNT = '123456789012';
const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
const NO_LISTINGS: Listings = { accountEmails: () => [], createAccountStatuses: () => 0 };

let moto: LocalAws;
let aws: AwsPorts;
const sdk = (region = REGION) => ({ region, endpoint: moto.endpoint, credentials });

beforeAll(async () => {
  moto = await startMoto({ seed: 23 });
  aws = createAwsPorts({ region: REGION, endpoint: moto.endpoint, credentials });
});

afterAll(async () => {
  await moto?.stop();
});

/** The requests `work` sent, and the model's count for the same call (`name`, its arguments and answer). */
async function sentAndModelled<T>(name: string, args: unknown[], work: () => Promise<T>) {
  const { result, calls } = await countAwsCalls(work);
  return { result, sent: calls, modelled: pagesOf(name, args, result, NO_LISTINGS) };
}

describe("the simulator's request counts are the adapters' requests (moto)", () => {
  test('member:deleteDefaultVpc, a default VPC as AWS leaves it', async () => {
    const port = await aws.memberAccount(ACCOUNT, 'us-west-2');
    const [vpcId] = await port.listDefaultVpcIds();
    const r = await sentAndModelled('member:deleteDefaultVpc', [vpcId], () => port.deleteDefaultVpc(vpcId!));
    expect(r.result.subnets).toBeGreaterThan(0);
    expect(r.sent).toBe(r.modelled);
  });

  test('member:deleteDefaultVpc, a VPC still holding a route table of its own', async () => {
    const ec2 = new EC2Client(sdk('eu-west-1'));
    const vpcId = (await ec2.send(new CreateVpcCommand({ CidrBlock: '10.8.0.0/16' }))).Vpc!.VpcId!;
    await ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: '10.8.1.0/24' }));
    await ec2.send(new CreateRouteTableCommand({ VpcId: vpcId }));
    const port = await aws.memberAccount(ACCOUNT, 'eu-west-1');
    const r = await sentAndModelled('member:deleteDefaultVpc', [vpcId], () => port.deleteDefaultVpc(vpcId));
    expect(r.result.routeTables).toBe(1);
    expect(r.sent).toBe(r.modelled);
  });

  test('member:listThreatDetectors', async () => {
    const port = await aws.memberAccount(ACCOUNT, REGION);
    await port.createThreatDetector();
    const r = await sentAndModelled('member:listThreatDetectors', [], () => port.listThreatDetectors());
    expect(r.result).toHaveLength(1);
    expect(r.sent).toBe(r.modelled);
  });

  test('member:getEventRule, present and absent', async () => {
    const events = new EventBridgeClient(sdk());
    await events.send(new PutRuleCommand({ Name: 'counted', EventPattern: '{"source":["aws.signin"]}' }));
    await events.send(
      new PutTargetsCommand({
        Rule: 'counted',
        Targets: [{ Id: 't', Arn: `arn:aws:sns:${REGION}:${ACCOUNT}:alerts` }],
      }),
    );
    const port = await aws.memberAccount(ACCOUNT, REGION);
    for (const name of ['counted', 'never-made']) {
      const r = await sentAndModelled('member:getEventRule', [name], () => port.getEventRule(name));
      expect(r.result === undefined).toBe(name === 'never-made');
      expect(r.sent).toBe(r.modelled);
    }
  });

  test('member:getIamInventory', async () => {
    await new IAMClient(sdk()).send(
      new CreatePolicyCommand({
        PolicyName: 'counted-boundary',
        PolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }],
        }),
      }),
    );
    const port = await aws.memberAccount(ACCOUNT, REGION);
    const r = await sentAndModelled('member:getIamInventory', [], () => port.getIamInventory());
    expect(r.result.localPolicies.find((p) => p.name === 'counted-boundary')?.document).toContain(
      's3:GetObject',
    );
    expect(r.sent).toBe(r.modelled);
  });

  test('orgServices:findLogBucket and orgServices:findTrail', async () => {
    await new S3Client(sdk()).send(new CreateBucketCommand({ Bucket: 'counted-trail-logs' }));
    await aws.orgServices.createOrganizationTrail({
      name: 'counted-trail',
      bucketName: 'counted-trail-logs',
      kmsKeyArn: `arn:aws:kms:${REGION}:${ACCOUNT}:key/counted`,
    });
    // the organisation services' session in the account, assumed on its first use (the model counts
    // each session's AssumeRole on its own, metered-aws.ts)
    await aws.orgServices.findLogBucket(ACCOUNT, 'counted-trail-logs');
    const bucket = await sentAndModelled('orgServices:findLogBucket', [ACCOUNT, 'counted-trail-logs'], () =>
      aws.orgServices.findLogBucket(ACCOUNT, 'counted-trail-logs'),
    );
    expect(bucket.result).toBeDefined();
    expect(bucket.sent).toBe(bucket.modelled);
    const trail = await sentAndModelled('orgServices:findTrail', ['counted-trail'], () =>
      aws.orgServices.findTrail('counted-trail'),
    );
    expect(trail.result?.bucketName).toBe('counted-trail-logs');
    expect(trail.sent).toBe(trail.modelled);
  });

  test('identityCenter:listPermissionSets', async () => {
    const { instanceArn } = await aws.identityCenter.getInstance();
    for (const name of ['CountedA', 'CountedB', 'CountedC']) {
      await aws.identityCenter.createPermissionSet(instanceArn, {
        name,
        description: name,
        sessionDuration: 'PT1H',
        managedPolicies: [],
      });
    }
    const r = await sentAndModelled('identityCenter:listPermissionSets', [instanceArn], () =>
      aws.identityCenter.listPermissionSets(instanceArn),
    );
    expect(r.result.length).toBeGreaterThanOrEqual(3);
    expect(r.sent).toBe(r.modelled);
  });

  test('budgets:findBudget, present and absent', async () => {
    await aws.budgets.createBudget(ACCOUNT, {
      name: 'counted-budget',
      linkedAccountId: '210987654321',
      monthlyLimitUsd: 100,
      thresholdsPercent: [80],
      emails: ['finance@example.com'],
    });
    for (const name of ['counted-budget', 'never-made']) {
      const r = await sentAndModelled('budgets:findBudget', [ACCOUNT, name], () =>
        aws.budgets.findBudget(ACCOUNT, name),
      );
      expect(r.result === undefined).toBe(name === 'never-made');
      expect(r.sent).toBe(r.modelled);
    }
  });
});

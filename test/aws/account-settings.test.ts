import {
  GetAlternateContactCommand,
  PutAlternateContactCommand,
  AccountClient,
  ResourceNotFoundException,
} from '@aws-sdk/client-account';
import {
  ConfigServiceClient,
  DescribeConfigurationRecordersCommand,
  PutConfigurationRecorderCommand,
} from '@aws-sdk/client-config-service';
import {
  DeleteInternetGatewayCommand,
  DeleteNetworkAclCommand,
  DeleteRouteTableCommand,
  DeleteSecurityGroupCommand,
  DeleteSubnetCommand,
  DeleteVpcCommand,
  DescribeInternetGatewaysCommand,
  DescribeNetworkAclsCommand,
  DescribeNetworkInterfacesCommand,
  DescribeRouteTablesCommand,
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  DetachInternetGatewayCommand,
  EC2Client,
  EnableSnapshotBlockPublicAccessCommand,
  GetInstanceMetadataDefaultsCommand,
  GetSnapshotBlockPublicAccessStateCommand,
  ModifyInstanceMetadataDefaultsCommand,
} from '@aws-sdk/client-ec2';
import { CreateDetectorCommand, GuardDutyClient, ListDetectorsCommand } from '@aws-sdk/client-guardduty';
import { GetAccountAuthorizationDetailsCommand, IAMClient } from '@aws-sdk/client-iam';
import { mockClient } from 'aws-sdk-client-mock';
import { createAccountSettings } from '../../src/aws/account-settings';
import { createClientFactory } from '../../src/aws/clients';
import type { DefaultVpcRemoval } from '../../src/domain/ports/account-settings';

const ACCOUNT = '210987654321';
const clients = createClientFactory({ region: 'us-east-1', endpoint: 'http://127.0.0.1:9' });
const port = createAccountSettings(ACCOUNT, 'eu-west-1', { member: clients, management: clients });
const ec2 = mockClient(EC2Client);
const config = mockClient(ConfigServiceClient);
const guardDuty = mockClient(GuardDutyClient);
const account = mockClient(AccountClient);
const iam = mockClient(IAMClient);

beforeEach(() => {
  ec2.reset();
  config.reset();
  guardDuty.reset();
  account.reset();
  iam.reset();
});

describe('EC2 account defaults moto lacks', () => {
  it('ModifyInstanceMetadataDefaults: tokens required, hop limit 2', async () => {
    ec2.on(ModifyInstanceMetadataDefaultsCommand).resolves({ Return: true });
    await port.putInstanceMetadataDefaults({ httpTokens: 'required', hopLimit: 2 });
    expect(ec2).toHaveReceivedCommandWith(ModifyInstanceMetadataDefaultsCommand, {
      HttpTokens: 'required',
      HttpPutResponseHopLimit: 2,
    });
  });

  it('GetInstanceMetadataDefaults reads the account level; unset is no-preference', async () => {
    ec2
      .on(GetInstanceMetadataDefaultsCommand)
      .resolvesOnce({ AccountLevel: { HttpTokens: 'required', HttpPutResponseHopLimit: 2 } })
      .resolvesOnce({});
    expect(await port.getInstanceMetadataDefaults()).toEqual({ httpTokens: 'required', hopLimit: 2 });
    expect(await port.getInstanceMetadataDefaults()).toEqual({ httpTokens: 'no-preference' });
  });

  it('EnableSnapshotBlockPublicAccess block-all-sharing, and reads the state back', async () => {
    ec2.on(EnableSnapshotBlockPublicAccessCommand).resolves({ State: 'block-all-sharing' });
    ec2.on(GetSnapshotBlockPublicAccessStateCommand).resolves({ State: 'block-all-sharing' });
    await port.enableSnapshotBlockPublicAccess('block-all-sharing');
    expect(ec2).toHaveReceivedCommandWith(EnableSnapshotBlockPublicAccessCommand, {
      State: 'block-all-sharing',
    });
    expect(await port.getSnapshotBlockPublicAccess()).toBe('block-all-sharing');
  });

  it("an emulator's HTML answer maps to a non-retryable NotImplemented", async () => {
    ec2
      .on(ModifyInstanceMetadataDefaultsCommand)
      .rejects(new Error('XML parse error: mismatched tags <html> and </title>'));
    await expect(
      port.putInstanceMetadataDefaults({ httpTokens: 'required', hopLimit: 2 }),
    ).rejects.toMatchObject({
      awsCode: 'NotImplemented',
      retryable: false,
      operation: 'ec2:ModifyInstanceMetadataDefaults',
    });
  });
});

/** What removing vpc-1 took with it: nothing but these counts. */
const removed = (counts: Partial<Omit<DefaultVpcRemoval, 'vpcId'>>): DefaultVpcRemoval => ({
  vpcId: 'vpc-1',
  subnets: 0,
  internetGateways: 0,
  securityGroups: 0,
  routeTables: 0,
  networkAcls: 0,
  ...counts,
});

describe('default VPC removal (real AWS has an internet gateway; moto has none)', () => {
  it('detaches and deletes the gateway, deletes the subnets, then the VPC, listing nothing else', async () => {
    ec2.on(DescribeNetworkInterfacesCommand).resolves({ NetworkInterfaces: [] });
    ec2.on(DescribeInternetGatewaysCommand).resolves({ InternetGateways: [{ InternetGatewayId: 'igw-1' }] });
    ec2
      .on(DescribeSubnetsCommand)
      .resolves({ Subnets: [{ SubnetId: 'subnet-a' }, { SubnetId: 'subnet-b' }] });
    expect(await port.deleteDefaultVpc('vpc-1')).toEqual(removed({ subnets: 2, internetGateways: 1 }));
    expect(ec2).toHaveReceivedCommandWith(DetachInternetGatewayCommand, {
      InternetGatewayId: 'igw-1',
      VpcId: 'vpc-1',
    });
    expect(ec2).toHaveReceivedCommandWith(DeleteInternetGatewayCommand, { InternetGatewayId: 'igw-1' });
    expect(ec2).toHaveReceivedCommandTimes(DeleteSubnetCommand, 2);
    expect(ec2).toHaveReceivedCommandTimes(DeleteVpcCommand, 1);
    // a default VPC as AWS makes it holds nothing else that outlives it: 3 listings, 5 deletions
    expect(ec2.calls()).toHaveLength(8);
    expect(ec2).not.toHaveReceivedCommand(DescribeSecurityGroupsCommand);
    expect(ec2).not.toHaveReceivedCommand(DescribeRouteTablesCommand);
    expect(ec2).not.toHaveReceivedCommand(DescribeNetworkAclsCommand);
  });

  it('removes extra groups, tables and ACLs when the VPC still has dependencies, then deletes it', async () => {
    ec2.on(DescribeNetworkInterfacesCommand).resolves({ NetworkInterfaces: [] });
    ec2.on(DescribeInternetGatewaysCommand).resolves({ InternetGateways: [] });
    ec2.on(DescribeSubnetsCommand).resolves({ Subnets: [] });
    ec2
      .on(DeleteVpcCommand)
      .rejectsOnce(
        Object.assign(new Error('The vpc vpc-1 has dependencies and cannot be deleted.'), {
          name: 'DependencyViolation',
          $fault: 'client',
          $metadata: { httpStatusCode: 400 },
        }),
      )
      .resolves({});
    ec2.on(DescribeSecurityGroupsCommand).resolves({
      SecurityGroups: [
        { GroupId: 'sg-default', GroupName: 'default' },
        { GroupId: 'sg-web', GroupName: 'web' },
      ],
    });
    ec2.on(DescribeRouteTablesCommand).resolves({
      RouteTables: [
        { RouteTableId: 'rtb-main', Associations: [{ Main: true }] },
        { RouteTableId: 'rtb-extra', Associations: [] },
      ],
    });
    ec2.on(DescribeNetworkAclsCommand).resolves({
      NetworkAcls: [
        { NetworkAclId: 'acl-1', IsDefault: true },
        { NetworkAclId: 'acl-2', IsDefault: false },
      ],
    });
    expect(await port.deleteDefaultVpc('vpc-1')).toEqual(
      removed({ securityGroups: 1, routeTables: 1, networkAcls: 1 }),
    );
    expect(ec2).toHaveReceivedCommandWith(DeleteSecurityGroupCommand, { GroupId: 'sg-web' });
    expect(ec2).toHaveReceivedCommandWith(DeleteRouteTableCommand, { RouteTableId: 'rtb-extra' });
    expect(ec2).toHaveReceivedCommandWith(DeleteNetworkAclCommand, { NetworkAclId: 'acl-2' });
    expect(ec2).toHaveReceivedCommandTimes(DeleteVpcCommand, 2);
  });

  it('refuses a default VPC with network interfaces in use', async () => {
    ec2
      .on(DescribeNetworkInterfacesCommand)
      .resolves({ NetworkInterfaces: [{ NetworkInterfaceId: 'eni-1' }] });
    ec2.on(DescribeInternetGatewaysCommand).resolves({ InternetGateways: [{ InternetGatewayId: 'igw-1' }] });
    ec2.on(DescribeSubnetsCommand).resolves({ Subnets: [{ SubnetId: 'subnet-a' }] });
    await expect(port.deleteDefaultVpc('vpc-1')).rejects.toMatchObject({
      awsCode: 'DefaultVpcInUse',
      retryable: false,
    });
    // nothing deleted
    expect(ec2).not.toHaveReceivedCommand(DetachInternetGatewayCommand);
    expect(ec2).not.toHaveReceivedCommand(DeleteSubnetCommand);
    expect(ec2).not.toHaveReceivedCommand(DeleteVpcCommand);
  });
});

describe('IAM inventory', () => {
  it("reads users and customer managed policies (the default version's document) in one request", async () => {
    iam.on(GetAccountAuthorizationDetailsCommand).resolves({
      UserDetailList: [{ UserName: 'legacy-ci' }],
      Policies: [
        {
          PolicyName: 'avf-permissions-boundary',
          Arn: `arn:aws:iam::${ACCOUNT}:policy/avf-permissions-boundary`,
          DefaultVersionId: 'v2',
          PolicyVersionList: [
            { VersionId: 'v1', IsDefaultVersion: false, Document: '%7B%22old%22%3Atrue%7D' },
            { VersionId: 'v2', IsDefaultVersion: true, Document: '%7B%22Version%22%3A%222012-10-17%22%7D' },
          ],
        },
        // as moto answers for a policy a stack made: no PolicyName, the name is the ARN's last segment
        {
          Arn: `arn:aws:iam::${ACCOUNT}:policy/team/made-by-stack`,
          DefaultVersionId: 'v1',
          PolicyVersionList: [],
        },
      ],
    });
    const inventory = await port.getIamInventory();
    expect(inventory).toEqual({
      userNames: ['legacy-ci'],
      localPolicies: [
        {
          name: 'avf-permissions-boundary',
          arn: `arn:aws:iam::${ACCOUNT}:policy/avf-permissions-boundary`,
          defaultVersionId: 'v2',
          document: '{"Version":"2012-10-17"}',
        },
        {
          name: 'made-by-stack',
          arn: `arn:aws:iam::${ACCOUNT}:policy/team/made-by-stack`,
          defaultVersionId: 'v1',
          document: '',
        },
      ],
    });
    expect(iam).toHaveReceivedCommandTimes(GetAccountAuthorizationDetailsCommand, 1);
    expect(iam).toHaveReceivedCommandWith(GetAccountAuthorizationDetailsCommand, {
      Filter: ['User', 'LocalManagedPolicy'],
    });
  });
});

describe('Config, GuardDuty and alternate contacts', () => {
  it('reads and writes the recorder in domain words', async () => {
    config.on(DescribeConfigurationRecordersCommand).resolves({
      ConfigurationRecorders: [{ name: 'lz', roleARN: 'role', recordingGroup: { allSupported: true } }],
    });
    expect(await port.listConfigRecorders()).toEqual([
      { name: 'lz', roleArn: 'role', allSupported: true, includeGlobalResourceTypes: false },
    ]);
    await port.putConfigRecorder({
      name: 'lz',
      roleArn: 'role',
      allSupported: true,
      includeGlobalResourceTypes: false,
    });
    expect(config).toHaveReceivedCommandWith(PutConfigurationRecorderCommand, {
      ConfigurationRecorder: {
        name: 'lz',
        roleARN: 'role',
        recordingGroup: { allSupported: true, includeGlobalResourceTypes: false },
      },
    });
  });

  it('creates an enabled detector', async () => {
    guardDuty.on(ListDetectorsCommand).resolves({ DetectorIds: [] });
    guardDuty.on(CreateDetectorCommand).resolves({ DetectorId: 'det-1' });
    expect(await port.listThreatDetectors()).toEqual([]);
    expect(await port.createThreatDetector()).toBe('det-1');
    expect(guardDuty).toHaveReceivedCommandWith(CreateDetectorCommand, { Enable: true });
  });

  it('alternate contacts name the member account; none set is undefined', async () => {
    account
      .on(GetAlternateContactCommand)
      .rejects(new ResourceNotFoundException({ message: 'none', $metadata: {} }));
    account.on(PutAlternateContactCommand).resolves({});
    expect(await port.getAlternateContact('SECURITY')).toBeUndefined();
    await port.putAlternateContact('SECURITY', {
      name: 'Sec',
      email: 's@example.com',
      phone: '+1 555',
      title: 'Security',
    });
    expect(account).toHaveReceivedCommandWith(PutAlternateContactCommand, {
      AccountId: ACCOUNT,
      AlternateContactType: 'SECURITY',
      EmailAddress: 's@example.com',
    });
  });
});

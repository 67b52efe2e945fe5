import {
  DeleteInternetGatewayCommand,
  DeleteNetworkAclCommand,
  DeleteRouteTableCommand,
  DeleteSecurityGroupCommand,
  DeleteSubnetCommand,
  DeleteVpcCommand,
  DetachInternetGatewayCommand,
  EnableEbsEncryptionByDefaultCommand,
  EnableSnapshotBlockPublicAccessCommand,
  GetEbsEncryptionByDefaultCommand,
  GetInstanceMetadataDefaultsCommand,
  GetSnapshotBlockPublicAccessStateCommand,
  ModifyInstanceMetadataDefaultsCommand,
  paginateDescribeInternetGateways,
  paginateDescribeNetworkAcls,
  paginateDescribeNetworkInterfaces,
  paginateDescribeRouteTables,
  paginateDescribeSecurityGroups,
  paginateDescribeSubnets,
  paginateDescribeVpcs,
  type EC2Client,
  type Filter,
} from '@aws-sdk/client-ec2';
import { AwsError } from '../../domain/errors';
import type {
  DefaultVpcRemoval,
  InstanceMetadataDefaults,
  SnapshotBlockPublicAccessState,
} from '../../domain/ports/account-settings';
import { call, callTolerating, hasAwsCode } from '../errors';
import { Pages } from '../pagination';

const byVpc = (vpcId: string): Filter[] => [{ Name: 'vpc-id', Values: [vpcId] }];
/** Gone already (an earlier, interrupted removal) is success. */
const GONE = [
  'InvalidVpcID.NotFound',
  'InvalidSubnetID.NotFound',
  'InvalidInternetGatewayID.NotFound',
  'Gateway.NotAttached',
  'InvalidGroup.NotFound',
  'InvalidRouteTableID.NotFound',
  'InvalidNetworkAclID.NotFound',
];

/** EC2 in a member account and region: account-level defaults and the default VPC. */
export class MemberEc2Adapter {
  private readonly pages: Pages<EC2Client>;

  constructor(
    private readonly client: EC2Client,
    maxPages?: number,
  ) {
    this.pages = new Pages(client, maxPages);
  }

  /** ec2:GetEbsEncryptionByDefault */
  async getEbsEncryptionByDefault(): Promise<boolean> {
    const out = await call('ec2:GetEbsEncryptionByDefault', () =>
      this.client.send(new GetEbsEncryptionByDefaultCommand({})),
    );
    return out.EbsEncryptionByDefault ?? false;
  }

  /** ec2:EnableEbsEncryptionByDefault (with the AWS-managed key unless one is set) */
  async enableEbsEncryptionByDefault(): Promise<void> {
    await call('ec2:EnableEbsEncryptionByDefault', () =>
      this.client.send(new EnableEbsEncryptionByDefaultCommand({})),
    );
  }

  /** ec2:GetSnapshotBlockPublicAccessState */
  async getSnapshotBlockPublicAccess(): Promise<SnapshotBlockPublicAccessState> {
    const out = await call('ec2:GetSnapshotBlockPublicAccessState', () =>
      this.client.send(new GetSnapshotBlockPublicAccessStateCommand({})),
    );
    return out.State ?? 'unblocked';
  }

  /** ec2:EnableSnapshotBlockPublicAccess */
  async enableSnapshotBlockPublicAccess(state: SnapshotBlockPublicAccessState): Promise<void> {
    await call('ec2:EnableSnapshotBlockPublicAccess', () =>
      this.client.send(new EnableSnapshotBlockPublicAccessCommand({ State: state })),
    );
  }

  /** ec2:GetInstanceMetadataDefaults */
  async getInstanceMetadataDefaults(): Promise<InstanceMetadataDefaults> {
    const out = await call('ec2:GetInstanceMetadataDefaults', () =>
      this.client.send(new GetInstanceMetadataDefaultsCommand({})),
    );
    const level = out.AccountLevel;
    return {
      httpTokens: level?.HttpTokens ?? 'no-preference',
      ...(level?.HttpPutResponseHopLimit === undefined ? {} : { hopLimit: level.HttpPutResponseHopLimit }),
    };
  }

  /** ec2:ModifyInstanceMetadataDefaults */
  async putInstanceMetadataDefaults(defaults: InstanceMetadataDefaults): Promise<void> {
    await call('ec2:ModifyInstanceMetadataDefaults', () =>
      this.client.send(
        new ModifyInstanceMetadataDefaultsCommand({
          HttpTokens: defaults.httpTokens,
          HttpPutResponseHopLimit: defaults.hopLimit,
        }),
      ),
    );
  }

  /** ec2:DescribeVpcs (isDefault) */
  async listDefaultVpcIds(): Promise<string[]> {
    const vpcs = await this.pages.collect(
      'ec2:DescribeVpcs',
      paginateDescribeVpcs,
      { Filters: [{ Name: 'isDefault', Values: ['true'] }] },
      (p) => p.Vpcs,
    );
    return vpcs.map((v) => v.VpcId ?? '');
  }

  /**
   * ec2:DescribeNetworkInterfaces, ec2:DescribeInternetGateways, ec2:DescribeSubnets (side by
   * side), ec2:DetachInternetGateway, ec2:DeleteInternetGateway, ec2:DeleteSubnet (side by side),
   * ec2:DeleteVpc, and only when the VPC still has dependencies (DependencyViolation):
   * ec2:DescribeSecurityGroups, ec2:DeleteSecurityGroup, ec2:DescribeRouteTables,
   * ec2:DeleteRouteTable, ec2:DescribeNetworkAcls, ec2:DeleteNetworkAcl, then ec2:DeleteVpc
   * again. A default VPC as AWS makes it holds only subnets and a gateway besides what goes with
   * it (its default group, main route table and default ACL), so the common case makes no listing
   * of the other three. Refuses a VPC that has network interfaces (deleting nothing): something
   * runs in it, so it is not the untouched default of a new account.
   */
  async deleteDefaultVpc(vpcId: string): Promise<DefaultVpcRemoval> {
    // the three listings side by side; nothing is deleted before the interfaces are known
    const [enis, gateways, subnets] = await Promise.all([
      this.pages.collect(
        'ec2:DescribeNetworkInterfaces',
        paginateDescribeNetworkInterfaces,
        { Filters: byVpc(vpcId) },
        (p) => p.NetworkInterfaces,
      ),
      this.pages.collect(
        'ec2:DescribeInternetGateways',
        paginateDescribeInternetGateways,
        { Filters: [{ Name: 'attachment.vpc-id', Values: [vpcId] }] },
        (p) => p.InternetGateways?.map((g) => g.InternetGatewayId ?? ''),
      ),
      this.pages.collect('ec2:DescribeSubnets', paginateDescribeSubnets, { Filters: byVpc(vpcId) }, (p) =>
        p.Subnets?.map((s) => s.SubnetId ?? ''),
      ),
    ]);
    if (enis.length > 0) {
      throw new AwsError(
        'ec2:DeleteVpc',
        'DefaultVpcInUse',
        `default VPC ${vpcId} has ${enis.length} network interface(s) in use; remove them or keep the VPC (hardening.remediate.deleteDefaultVpcs: false)`,
        false,
      );
    }
    // each gateway detached then deleted, beside the subnets' deletions (one request each, side by side)
    await Promise.all([
      ...gateways.map(async (id) => {
        await this.tolerate('ec2:DetachInternetGateway', () =>
          this.client.send(new DetachInternetGatewayCommand({ InternetGatewayId: id, VpcId: vpcId })),
        );
        await this.tolerate('ec2:DeleteInternetGateway', () =>
          this.client.send(new DeleteInternetGatewayCommand({ InternetGatewayId: id })),
        );
      }),
      ...subnets.map((SubnetId) =>
        this.tolerate('ec2:DeleteSubnet', () => this.client.send(new DeleteSubnetCommand({ SubnetId }))),
      ),
    ]);
    const removal: DefaultVpcRemoval = {
      vpcId,
      subnets: subnets.length,
      internetGateways: gateways.length,
      securityGroups: 0,
      routeTables: 0,
      networkAcls: 0,
    };
    try {
      await this.deleteVpc(vpcId);
    } catch (e) {
      if (!hasAwsCode(e, 'DependencyViolation')) throw e;
      Object.assign(removal, await this.deleteDependencies(vpcId));
      await this.deleteVpc(vpcId);
    }
    return removal;
  }

  /** What a VPC holds besides subnets and gateways and does not take with it: extra groups, tables, ACLs. */
  private async deleteDependencies(
    vpcId: string,
  ): Promise<Pick<DefaultVpcRemoval, 'securityGroups' | 'routeTables' | 'networkAcls'>> {
    const groups = await this.pages.collect(
      'ec2:DescribeSecurityGroups',
      paginateDescribeSecurityGroups,
      { Filters: byVpc(vpcId) },
      (p) => p.SecurityGroups?.filter((g) => g.GroupName !== 'default').map((g) => g.GroupId ?? ''),
    );
    const securityGroups = await this.deleteEach(groups, 'ec2:DeleteSecurityGroup', (GroupId) =>
      this.client.send(new DeleteSecurityGroupCommand({ GroupId })),
    );
    const tables = await this.pages.collect(
      'ec2:DescribeRouteTables',
      paginateDescribeRouteTables,
      { Filters: byVpc(vpcId) },
      (p) =>
        p.RouteTables?.filter((t) => !t.Associations?.some((a) => a.Main)).map((t) => t.RouteTableId ?? ''),
    );
    const routeTables = await this.deleteEach(tables, 'ec2:DeleteRouteTable', (RouteTableId) =>
      this.client.send(new DeleteRouteTableCommand({ RouteTableId })),
    );
    const acls = await this.pages.collect(
      'ec2:DescribeNetworkAcls',
      paginateDescribeNetworkAcls,
      { Filters: byVpc(vpcId) },
      (p) => p.NetworkAcls?.filter((a) => !a.IsDefault).map((a) => a.NetworkAclId ?? ''),
    );
    const networkAcls = await this.deleteEach(acls, 'ec2:DeleteNetworkAcl', (NetworkAclId) =>
      this.client.send(new DeleteNetworkAclCommand({ NetworkAclId })),
    );
    return { securityGroups, routeTables, networkAcls };
  }

  private deleteVpc(vpcId: string): Promise<void> {
    return this.tolerate('ec2:DeleteVpc', () => this.client.send(new DeleteVpcCommand({ VpcId: vpcId })));
  }

  private async deleteEach(ids: string[], operation: string, remove: (id: string) => Promise<unknown>) {
    for (const id of ids) await this.tolerate(operation, () => remove(id));
    return ids.length;
  }

  private async tolerate(operation: string, fn: () => Promise<unknown>): Promise<void> {
    await callTolerating(operation, GONE, fn);
  }
}

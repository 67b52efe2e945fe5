import { changed, unchanged, type Ensure } from './ensure';

/** N-1: no default VPC (and so no permissive default security group), per region. */
export const defaultVpcRemoved: Ensure = {
  setting: 'default-vpc-removed',
  scope: 'region',
  async apply({ config, port }) {
    const vpcIds = await port.listDefaultVpcIds();
    if (vpcIds.length === 0) return unchanged('no default VPC');
    if (!config.hardening.remediate.deleteDefaultVpcs) {
      return unchanged(
        `default VPC ${vpcIds.join(', ')} kept (hardening.remediate.deleteDefaultVpcs is false)`,
      );
    }
    const removed: string[] = [];
    for (const vpcId of vpcIds) {
      const r = await port.deleteDefaultVpc(vpcId);
      removed.push(
        `${r.vpcId} (${r.subnets} subnets, ${r.internetGateways} internet gateways, ${r.securityGroups} security groups, ${r.routeTables} route tables, ${r.networkAcls} network ACLs)`,
      );
    }
    return changed(`default VPC deleted: ${removed.join('; ')}`);
  },
};

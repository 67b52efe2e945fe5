import {
  CreateRoleCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  PutRolePolicyCommand,
  UpdateAssumeRolePolicyCommand,
  type IAMClient,
} from '@aws-sdk/client-iam';
import type { ExecutionRolePort } from '../domain/ports/costs';
import type { ClientFactory } from './clients';
import { call, callTolerating } from './errors';

/** IAM returns policy documents URL-encoded. */
const decode = (doc: string | undefined): string | undefined =>
  doc === undefined ? undefined : decodeURIComponent(doc);

/** Roles the factory keeps in the management account (AWS Budgets' execution role for spend freezes). */
export class ExecutionRolesAdapter implements ExecutionRolePort {
  private readonly client: IAMClient;

  constructor(clients: ClientFactory) {
    this.client = clients.iam();
  }

  /** iam:GetRole, iam:GetRolePolicy — the role, its trust policy and its inline policy of the same name. */
  async findRole(name: string): Promise<{ arn: string; trustPolicy: string; policy?: string } | undefined> {
    const role = await callTolerating('iam:GetRole', ['NoSuchEntity', 'NoSuchEntityException'], () =>
      this.client.send(new GetRoleCommand({ RoleName: name })),
    );
    if (!role?.Role) return undefined;
    const inline = await callTolerating('iam:GetRolePolicy', ['NoSuchEntity', 'NoSuchEntityException'], () =>
      this.client.send(new GetRolePolicyCommand({ RoleName: name, PolicyName: name })),
    );
    const policy = decode(inline?.PolicyDocument);
    return {
      arn: role.Role.Arn ?? '',
      trustPolicy: decode(role.Role.AssumeRolePolicyDocument) ?? '',
      ...(policy === undefined ? {} : { policy }),
    };
  }

  /** iam:CreateRole — returns its ARN. */
  async createRole(name: string, trustPolicy: string, description: string): Promise<string> {
    const out = await call('iam:CreateRole', () =>
      this.client.send(
        new CreateRoleCommand({
          RoleName: name,
          AssumeRolePolicyDocument: trustPolicy,
          Description: description,
        }),
      ),
    );
    return out.Role?.Arn ?? '';
  }

  /** iam:PutRolePolicy — the role's inline policy, replaced. */
  async putRolePolicy(roleName: string, policyName: string, document: string): Promise<void> {
    await call('iam:PutRolePolicy', () =>
      this.client.send(
        new PutRolePolicyCommand({ RoleName: roleName, PolicyName: policyName, PolicyDocument: document }),
      ),
    );
  }

  /** iam:UpdateAssumeRolePolicy — the role's trust policy, replaced. */
  async updateTrustPolicy(roleName: string, trustPolicy: string): Promise<void> {
    await call('iam:UpdateAssumeRolePolicy', () =>
      this.client.send(
        new UpdateAssumeRolePolicyCommand({ RoleName: roleName, PolicyDocument: trustPolicy }),
      ),
    );
  }
}

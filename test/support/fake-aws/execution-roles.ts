import type { ExecutionRolePort } from '../../../src/domain/ports/costs';

/** IAM roles of the management account in memory: trust policy and one inline policy each. */
export class FakeExecutionRoles implements ExecutionRolePort {
  readonly roles = new Map<string, { arn: string; trustPolicy: string; policy?: string }>();

  findRole(name: string): Promise<{ arn: string; trustPolicy: string; policy?: string } | undefined> {
    const role = this.roles.get(name);
    return Promise.resolve(role ? { ...role } : undefined);
  }

  createRole(name: string, trustPolicy: string): Promise<string> {
    if (this.roles.has(name)) return Promise.reject(new Error(`EntityAlreadyExists: role ${name}`));
    const arn = `arn:aws:iam::123456789012:role/${name}`;
    this.roles.set(name, { arn, trustPolicy });
    return Promise.resolve(arn);
  }

  putRolePolicy(roleName: string, _policyName: string, document: string): Promise<void> {
    const role = this.roles.get(roleName);
    if (!role) return Promise.reject(new Error(`NoSuchEntity: role ${roleName}`));
    role.policy = document;
    return Promise.resolve();
  }

  updateTrustPolicy(roleName: string, trustPolicy: string): Promise<void> {
    const role = this.roles.get(roleName);
    if (!role) return Promise.reject(new Error(`NoSuchEntity: role ${roleName}`));
    role.trustPolicy = trustPolicy;
    return Promise.resolve();
  }
}

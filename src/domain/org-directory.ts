import { NotFoundError } from './errors';
import type { AwsPorts, IdentityCenterInstance, PolicyType } from './ports/aws';

/**
 * Name → id lookups the steps need (OU path, policy name, permission set, group), cached for the
 * life of the worker: these are created at bootstrap and rarely change. A miss is not cached.
 */
export class OrgDirectory {
  private readonly cache = new Map<string, Promise<string>>();
  private instance?: Promise<IdentityCenterInstance>;
  /** Each policy type's names → ids, as last listed. */
  private readonly policies = new Map<PolicyType, Promise<Map<string, string>>>();

  constructor(private readonly aws: AwsPorts) {}

  rootId(): Promise<string> {
    return this.memo('root', async () => (await this.aws.organizations.getRoot()).id);
  }

  ouId(path: string): Promise<string> {
    return this.memo(`ou:${path}`, async () => {
      let parentId = await this.rootId();
      for (const name of path.split('/')) {
        const children = await this.aws.organizations.listOrganizationalUnits(parentId);
        const child = children.find((c) => c.name === name);
        if (!child) throw new NotFoundError(`organizational unit ${path} (run avf bootstrap)`);
        parentId = child.id;
      }
      return parentId;
    });
  }

  /**
   * A policy's id by name. One listing of the type answers every name; a name it lacks (a policy
   * created since) lists again once before it is not found.
   */
  policyId(name: string, type: PolicyType = 'SERVICE_CONTROL_POLICY'): Promise<string> {
    return this.memo(`policy:${type}:${name}`, async () => {
      const listed = this.policies.get(type);
      const found =
        (listed ? (await listed).get(name) : undefined) ?? (await this.listPolicies(type)).get(name);
      if (found === undefined) throw new NotFoundError(`policy ${name} (run avf bootstrap)`);
      return found;
    });
  }

  private listPolicies(type: PolicyType): Promise<Map<string, string>> {
    const listing = this.aws.organizations
      .listPolicies(type)
      .then((all) => new Map(all.map((p) => [p.name, p.id])));
    this.policies.set(type, listing);
    listing.catch(() => {
      if (this.policies.get(type) === listing) this.policies.delete(type);
    });
    return listing;
  }

  identityCenter(): Promise<IdentityCenterInstance> {
    this.instance ??= this.aws.identityCenter.getInstance().catch((e: unknown) => {
      this.instance = undefined;
      throw e;
    });
    return this.instance;
  }

  permissionSetArn(name: string): Promise<string> {
    return this.memo(`ps:${name}`, async () => {
      const { instanceArn } = await this.identityCenter();
      const arn = await this.aws.identityCenter.findPermissionSetArn(instanceArn, name);
      if (!arn) throw new NotFoundError(`permission set ${name} (run avf bootstrap)`);
      return arn;
    });
  }

  groupId(displayName: string): Promise<string> {
    return this.memo(`group:${displayName}`, async () => {
      const { identityStoreId } = await this.identityCenter();
      const id = await this.aws.identityCenter.findGroupId(identityStoreId, displayName);
      if (!id) throw new NotFoundError(`Identity Center group ${displayName}`);
      return id;
    });
  }

  /** A member account's id by its email (e.g. the log-archive account's). */
  accountIdByEmail(email: string): Promise<string> {
    return this.memo(`account:${email.toLowerCase()}`, async () => {
      const found = await this.aws.organizations.findAccountByEmail(email);
      if (!found) throw new NotFoundError(`account ${email} (run avf bootstrap)`);
      return found.id;
    });
  }

  payerAccountId(): Promise<string> {
    return this.memo('payer', () => this.aws.sts.callerAccountId());
  }

  private memo(key: string, load: () => Promise<string>): Promise<string> {
    let hit = this.cache.get(key);
    if (!hit) {
      hit = load().catch((e: unknown) => {
        this.cache.delete(key);
        throw e;
      });
      this.cache.set(key, hit);
    }
    return hit;
  }
}

import { NotFoundError } from './errors';
import type { AwsPorts, IdentityCenterInstance, PolicyType } from './ports/aws';

/**
 * Name → id lookups the steps need (OU path, policy name, permission set, group), cached for the
 * life of the worker: these are created at bootstrap and rarely change. A miss is not cached.
 */
export class OrgDirectory {
  private readonly cache = new Map<string, Promise<string>>();
  private instance?: Promise<IdentityCenterInstance>;
  /** Names → ids of each kind that is looked up from one listing of all (a policy type, permission sets), as last listed. */
  private readonly listings = new Map<string, Promise<Map<string, string>>>();

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
    return this.fromListing(`policy:${type}`, name, `policy ${name} (run avf bootstrap)`, async () =>
      (await this.aws.organizations.listPolicies(type)).map((p) => [p.name, p.id]),
    );
  }

  /**
   * The id of `name` from one listing of every item of `kind`, shared by all the names looked up;
   * a name the listing lacks (made since) lists again once before it is not found.
   */
  private fromListing(
    kind: string,
    name: string,
    missing: string,
    list: () => Promise<Array<[string, string]>>,
  ): Promise<string> {
    return this.memo(`${kind}:${name}`, async () => {
      const listed = this.listings.get(kind);
      const found =
        (listed ? (await listed).get(name) : undefined) ?? (await this.listAgain(kind, list)).get(name);
      if (found === undefined) throw new NotFoundError(missing);
      return found;
    });
  }

  private listAgain(
    kind: string,
    list: () => Promise<Array<[string, string]>>,
  ): Promise<Map<string, string>> {
    const listing = list().then((pairs) => new Map(pairs));
    this.listings.set(kind, listing);
    listing.catch(() => {
      if (this.listings.get(kind) === listing) this.listings.delete(kind);
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

  /**
   * A permission set's ARN by name. One listing (ListPermissionSets and a DescribePermissionSet
   * each) answers every name the steps and verification ask for, rather than a walk per name.
   */
  permissionSetArn(name: string): Promise<string> {
    return this.fromListing(
      'permission-set',
      name,
      `permission set ${name} (run avf bootstrap)`,
      async () => {
        const { instanceArn } = await this.identityCenter();
        return (await this.aws.identityCenter.listPermissionSets(instanceArn)).map((p) => [p.name, p.arn]);
      },
    );
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

import { AvfError, AwsError } from '../../domain/errors';
import type { IdentityCenterPort } from '../../domain/ports/aws';
import type { Clock } from '../clock';

/** What Identity Center holds, as the intake asks it before a request is accepted. */
export interface AccessCatalog {
  /** Of these group display names, those no group in the identity store has. */
  missingGroups(names: readonly string[]): Promise<string[]>;
  /** Of these permission set names, those the instance does not have. */
  missingPermissionSets(names: readonly string[]): Promise<string[]>;
}

/** Identity Center could not answer (an AWS error, or no instance): nothing was written. */
export class IdentityCenterUnavailableError extends AvfError {
  constructor(cause: unknown) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    super(
      'IDENTITY_CENTER_UNAVAILABLE',
      `IAM Identity Center could not be asked whether the requested groups and permission sets exist (${reason}); nothing was stored, try again later`,
      { retryable: true, cause },
    );
  }
}

/** How long an answer is reused: a group created in the identity provider is seen within a minute. */
export const ACCESS_CATALOG_TTL_MS = 60_000;

interface Entry<T> {
  value: Promise<T>;
  expiresAt: number;
}

/**
 * The catalog over the Identity Center adapter, each answer cached for `ttlMs` (found and missing
 * alike) so a burst of submissions costs a bounded number of calls: per TTL one ListInstances, one
 * permission-set listing (ListPermissionSets and a DescribePermissionSet each) and one GetGroupId
 * per distinct group name (names are the config's groups: the intake's rules run first). Concurrent
 * lookups share one call; a failed AWS call is not cached and surfaces as IdentityCenterUnavailableError.
 */
export class IdentityCenterCatalog implements AccessCatalog {
  private readonly entries = new Map<string, Entry<unknown>>();

  constructor(
    private readonly identityCenter: IdentityCenterPort,
    private readonly clock: Clock,
    private readonly ttlMs: number = ACCESS_CATALOG_TTL_MS,
  ) {}

  async missingGroups(names: readonly string[]): Promise<string[]> {
    const unique = [...new Set(names)];
    if (unique.length === 0) return [];
    const found = await Promise.all(
      unique.map((name) =>
        this.cached(`group:${name}`, async () => {
          const { identityStoreId } = await this.instance();
          return (await this.identityCenter.findGroupId(identityStoreId, name)) !== undefined;
        }),
      ),
    );
    return unique.filter((_, i) => !found[i]);
  }

  async missingPermissionSets(names: readonly string[]): Promise<string[]> {
    const unique = [...new Set(names)];
    if (unique.length === 0) return [];
    const existing = await this.cached('permission-sets', async () => {
      const { instanceArn } = await this.instance();
      return new Set((await this.identityCenter.listPermissionSets(instanceArn)).map((p) => p.name));
    });
    return unique.filter((name) => !existing.has(name));
  }

  private instance() {
    return this.cached('instance', () => this.identityCenter.getInstance());
  }

  private cached<T>(key: string, load: () => Promise<T>): Promise<T> {
    const now = this.clock.now().getTime();
    const hit = this.entries.get(key) as Entry<T> | undefined;
    if (hit && hit.expiresAt > now) return hit.value;
    const value = load().catch((error: unknown) => {
      this.entries.delete(key);
      throw error instanceof AwsError ? new IdentityCenterUnavailableError(error) : error;
    });
    this.entries.set(key, { value, expiresAt: now + this.ttlMs });
    return value;
  }
}

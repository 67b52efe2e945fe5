import type {
  EncryptionKey,
  LogBucket,
  OrganizationTrail,
  OrgServicesPort,
  TrailSettings,
} from '../../../src/domain/ports/org-services';
import { MANAGEMENT_ACCOUNT_ID } from './organizations';
import { awsError, pad, type FakeScript } from './script';

/** OrgServicesPort methods that change AWS; a dry run must call none of them. */
export const ORG_SERVICES_MUTATING_METHODS = [
  'createOrganizationTrail',
  'updateOrganizationTrail',
  'createKey',
  'ensureLogBucket',
  'registerDelegatedAdministrator',
  'enableThreatDetectionAdmin',
  'enableThreatDetectionAutoEnable',
  'enableSecurityHubAdmin',
  'enableSecurityHubAutoEnable',
  'enableFoundationalStandard',
  'createOrganizationAnalyzer',
] as const;

type Method = keyof OrgServicesPort;

/**
 * The organisation's security services in memory. `notImplemented` lists methods that fail as an
 * emulator's missing operation does (AwsError NotImplemented), for the emulator-gap paths.
 */
export class FakeOrgServices implements OrgServicesPort {
  readonly trails = new Map<string, OrganizationTrail>();
  /** alias → key and its policy */
  readonly keys = new Map<string, EncryptionKey & { policy: string }>();
  /** `${accountId}/${bucket}` → bucket */
  readonly buckets = new Map<string, LogBucket>();
  /** service principal → delegated administrator account ids */
  readonly delegatedAdmins = new Map<string, Set<string>>();
  /** region → administrator account */
  readonly threatDetectionAdmins = new Map<string, string>();
  readonly securityHubAdmins = new Map<string, string>();
  /** `${accountId}/${region}` */
  readonly threatDetectionAutoEnabled = new Set<string>();
  readonly securityHubAutoEnabled = new Set<string>();
  readonly foundationalStandard = new Set<string>();
  /** `${accountId}/${region}` → organisation analyzer names */
  readonly analyzers = new Map<string, string[]>();
  readonly notImplemented = new Set<Method>();

  constructor(private readonly s: FakeScript) {}

  private enter(method: Method): void {
    this.s.enter(method);
    if (this.notImplemented.has(method))
      throw awsError(method, 'NotImplemented', `${method} is not implemented by the emulator`);
  }

  async findTrail(name: string): Promise<OrganizationTrail | undefined> {
    this.enter('findTrail');
    const t = this.trails.get(name);
    return Promise.resolve(t && { ...t });
  }

  async createOrganizationTrail(settings: TrailSettings): Promise<void> {
    this.enter('createOrganizationTrail');
    return this.putTrail(settings);
  }

  async updateOrganizationTrail(settings: TrailSettings): Promise<void> {
    this.enter('updateOrganizationTrail');
    if (!this.trails.has(settings.name))
      throw awsError('cloudtrail:UpdateTrail', 'TrailNotFoundException', `no trail ${settings.name}`);
    return this.putTrail(settings);
  }

  private async putTrail(s: TrailSettings): Promise<void> {
    if (![...this.buckets.keys()].some((k) => k.endsWith(`/${s.bucketName}`)))
      throw awsError('cloudtrail:CreateTrail', 'S3BucketDoesNotExistException', `no bucket ${s.bucketName}`);
    this.trails.set(s.name, {
      name: s.name,
      bucketName: s.bucketName,
      kmsKeyId: s.kmsKeyArn,
      isOrganizationTrail: true,
      isMultiRegionTrail: true,
      logFileValidationEnabled: true,
      isLogging: true,
    });
    return Promise.resolve();
  }

  async findKeyByAlias(alias: string): Promise<EncryptionKey | undefined> {
    this.enter('findKeyByAlias');
    const k = this.keys.get(alias);
    return Promise.resolve(k && { keyId: k.keyId, arn: k.arn });
  }

  async createKey(input: { alias: string; description: string; policy: string }): Promise<EncryptionKey> {
    this.enter('createKey');
    const keyId = `key-${pad(this.s.next('key'), 4)}`;
    const key = { keyId, arn: `arn:aws:kms:us-east-1:${MANAGEMENT_ACCOUNT_ID}:key/${keyId}` };
    this.keys.set(input.alias, { ...key, policy: input.policy });
    return Promise.resolve(key);
  }

  async findLogBucket(accountId: string, bucketName: string): Promise<LogBucket | undefined> {
    this.enter('findLogBucket');
    const b = this.buckets.get(`${accountId}/${bucketName}`);
    return Promise.resolve(b && { ...b });
  }

  async ensureLogBucket(accountId: string, bucketName: string, policy: string): Promise<void> {
    this.enter('ensureLogBucket');
    this.buckets.set(`${accountId}/${bucketName}`, { policy, blockPublicAccess: true, kmsEncrypted: true });
    return Promise.resolve();
  }

  async listDelegatedAdministrators(servicePrincipal: string): Promise<string[]> {
    this.enter('listDelegatedAdministrators');
    return Promise.resolve([...(this.delegatedAdmins.get(servicePrincipal) ?? [])]);
  }

  async registerDelegatedAdministrator(accountId: string, servicePrincipal: string): Promise<void> {
    this.enter('registerDelegatedAdministrator');
    this.delegatedAdmins.set(
      servicePrincipal,
      (this.delegatedAdmins.get(servicePrincipal) ?? new Set()).add(accountId),
    );
    return Promise.resolve();
  }

  async getThreatDetectionAdmin(region: string): Promise<string | undefined> {
    this.enter('getThreatDetectionAdmin');
    return Promise.resolve(this.threatDetectionAdmins.get(region));
  }

  async enableThreatDetectionAdmin(accountId: string, region: string): Promise<void> {
    this.enter('enableThreatDetectionAdmin');
    this.threatDetectionAdmins.set(region, accountId);
    return Promise.resolve();
  }

  async getThreatDetectionAutoEnable(adminAccountId: string, region: string): Promise<boolean> {
    this.enter('getThreatDetectionAutoEnable');
    return Promise.resolve(this.threatDetectionAutoEnabled.has(`${adminAccountId}/${region}`));
  }

  async enableThreatDetectionAutoEnable(adminAccountId: string, region: string): Promise<void> {
    this.enter('enableThreatDetectionAutoEnable');
    this.threatDetectionAutoEnabled.add(`${adminAccountId}/${region}`);
    return Promise.resolve();
  }

  async getSecurityHubAdmin(region: string): Promise<string | undefined> {
    this.enter('getSecurityHubAdmin');
    return Promise.resolve(this.securityHubAdmins.get(region));
  }

  async enableSecurityHubAdmin(accountId: string, region: string): Promise<void> {
    this.enter('enableSecurityHubAdmin');
    this.securityHubAdmins.set(region, accountId);
    return Promise.resolve();
  }

  async getSecurityHubAutoEnable(adminAccountId: string, region: string): Promise<boolean> {
    this.enter('getSecurityHubAutoEnable');
    return Promise.resolve(this.securityHubAutoEnabled.has(`${adminAccountId}/${region}`));
  }

  async enableSecurityHubAutoEnable(adminAccountId: string, region: string): Promise<void> {
    this.enter('enableSecurityHubAutoEnable');
    this.securityHubAutoEnabled.add(`${adminAccountId}/${region}`);
    return Promise.resolve();
  }

  async getFoundationalStandardEnabled(adminAccountId: string, region: string): Promise<boolean> {
    this.enter('getFoundationalStandardEnabled');
    return Promise.resolve(this.foundationalStandard.has(`${adminAccountId}/${region}`));
  }

  async enableFoundationalStandard(adminAccountId: string, region: string): Promise<void> {
    this.enter('enableFoundationalStandard');
    this.foundationalStandard.add(`${adminAccountId}/${region}`);
    return Promise.resolve();
  }

  async listOrganizationAnalyzers(accountId: string, region: string): Promise<string[]> {
    this.enter('listOrganizationAnalyzers');
    return Promise.resolve([...(this.analyzers.get(`${accountId}/${region}`) ?? [])]);
  }

  async createOrganizationAnalyzer(accountId: string, region: string, name: string): Promise<void> {
    this.enter('createOrganizationAnalyzer');
    const k = `${accountId}/${region}`;
    const names = this.analyzers.get(k) ?? [];
    if (!names.includes(name)) this.analyzers.set(k, [...names, name]);
    return Promise.resolve();
  }
}

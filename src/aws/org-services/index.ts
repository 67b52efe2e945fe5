import type {
  EncryptionKey,
  LogBucket,
  OrganizationTrail,
  OrgServicesPort,
  TrailSettings,
} from '../../domain/ports/org-services';
import type { ClientFactory } from '../clients';
import type { StsAdapter } from '../sts';

/** Clients inside a member account, through its access role (shared with the other member-account adapters). */
export type MemberClients = (accountId: string) => Promise<ClientFactory>;
import { AccessAnalyzerAdapter } from './access-analyzer';
import { CloudTrailAdapter } from './cloudtrail';
import { DelegatedAdminAdapter } from './delegated-admin';
import { GuardDutyOrgAdapter } from './guardduty';
import { KmsAdapter } from './kms';
import { LogBucketAdapter } from './s3';
import { foundationalStandardArn, SecurityHubOrgAdapter } from './securityhub';

/**
 * The organisation's security services, one adapter per AWS service (each method's doc there
 * names its IAM actions); calls inside the log-archive and security accounts use the member
 * account's clients.
 */
export class OrgServicesAdapter implements OrgServicesPort {
  private readonly trails: CloudTrailAdapter;
  private readonly keys: KmsAdapter;
  private readonly delegated: DelegatedAdminAdapter;
  private readonly guardDuty = new GuardDutyOrgAdapter();
  private readonly securityHub = new SecurityHubOrgAdapter();
  private readonly analyzers = new AccessAnalyzerAdapter();

  constructor(
    private readonly clients: ClientFactory,
    private readonly member: MemberClients,
    private readonly sts: StsAdapter,
    options: { maxPages?: number } = {},
  ) {
    this.trails = new CloudTrailAdapter(clients.cloudTrail());
    this.keys = new KmsAdapter(clients.kms());
    this.delegated = new DelegatedAdminAdapter(clients.organizations(), options.maxPages);
  }

  findTrail(name: string): Promise<OrganizationTrail | undefined> {
    return this.trails.findTrail(name);
  }
  createOrganizationTrail(settings: TrailSettings): Promise<void> {
    return this.trails.createOrganizationTrail(settings);
  }
  updateOrganizationTrail(settings: TrailSettings): Promise<void> {
    return this.trails.updateOrganizationTrail(settings);
  }

  findKeyByAlias(alias: string): Promise<EncryptionKey | undefined> {
    return this.keys.findKeyByAlias(alias);
  }
  createKey(input: { alias: string; description: string; policy: string }): Promise<EncryptionKey> {
    return this.keys.createKey(input);
  }

  async findLogBucket(accountId: string, bucketName: string): Promise<LogBucket | undefined> {
    return new LogBucketAdapter((await this.member(accountId)).s3()).findLogBucket(bucketName);
  }
  async ensureLogBucket(accountId: string, bucketName: string, policy: string): Promise<void> {
    const s3 = (await this.member(accountId)).s3();
    return new LogBucketAdapter(s3).ensureLogBucket(bucketName, this.clients.region, policy);
  }

  listDelegatedAdministrators(servicePrincipal: string): Promise<string[]> {
    return this.delegated.list(servicePrincipal);
  }
  registerDelegatedAdministrator(accountId: string, servicePrincipal: string): Promise<void> {
    return this.delegated.register(accountId, servicePrincipal);
  }

  getThreatDetectionAdmin(region: string): Promise<string | undefined> {
    return this.guardDuty.getAdmin(this.clients.guardDuty(region));
  }
  enableThreatDetectionAdmin(accountId: string, region: string): Promise<void> {
    return this.guardDuty.enableAdmin(this.clients.guardDuty(region), accountId);
  }
  async getThreatDetectionAutoEnable(adminAccountId: string, region: string): Promise<boolean> {
    return this.guardDuty.getAutoEnable((await this.member(adminAccountId)).guardDuty(region));
  }
  async enableThreatDetectionAutoEnable(adminAccountId: string, region: string): Promise<void> {
    return this.guardDuty.enableAutoEnable((await this.member(adminAccountId)).guardDuty(region));
  }

  getSecurityHubAdmin(region: string): Promise<string | undefined> {
    return this.securityHub.getAdmin(this.clients.securityHub(region));
  }
  enableSecurityHubAdmin(accountId: string, region: string): Promise<void> {
    return this.securityHub.enableAdmin(this.clients.securityHub(region), accountId);
  }
  async getSecurityHubAutoEnable(adminAccountId: string, region: string): Promise<boolean> {
    return this.securityHub.getAutoEnable((await this.member(adminAccountId)).securityHub(region));
  }
  async enableSecurityHubAutoEnable(adminAccountId: string, region: string): Promise<void> {
    return this.securityHub.enableAutoEnable((await this.member(adminAccountId)).securityHub(region));
  }
  async getFoundationalStandardEnabled(adminAccountId: string, region: string): Promise<boolean> {
    const client = (await this.member(adminAccountId)).securityHub(region);
    return this.securityHub.isStandardEnabled(
      client,
      foundationalStandardArn(await this.sts.partition(), region),
    );
  }
  async enableFoundationalStandard(adminAccountId: string, region: string): Promise<void> {
    const client = (await this.member(adminAccountId)).securityHub(region);
    return this.securityHub.enableStandard(
      client,
      foundationalStandardArn(await this.sts.partition(), region),
    );
  }

  async listOrganizationAnalyzers(accountId: string, region: string): Promise<string[]> {
    return this.analyzers.listOrganizationAnalyzers((await this.member(accountId)).accessAnalyzer(region));
  }
  async createOrganizationAnalyzer(accountId: string, region: string, name: string): Promise<void> {
    const client = (await this.member(accountId)).accessAnalyzer(region);
    return this.analyzers.createOrganizationAnalyzer(client, name);
  }
}

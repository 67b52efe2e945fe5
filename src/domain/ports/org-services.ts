/**
 * The organisation-wide security services bootstrap sets up once (the first layer of the baseline): the
 * organisation trail and its key, the log buckets in the log-archive account, GuardDuty and
 * Security Hub administered by the security account, the organisation analyzer, delegated
 * administrators. Calls "in" an account (given by id) go through that account's access role;
 * everything else runs in the management account. Implemented in src/aws/org-services; faked in memory by tests.
 */

export interface OrganizationTrail {
  name: string;
  bucketName: string;
  kmsKeyId?: string;
  isOrganizationTrail: boolean;
  isMultiRegionTrail: boolean;
  logFileValidationEnabled: boolean;
  isLogging: boolean;
}

export interface TrailSettings {
  name: string;
  bucketName: string;
  kmsKeyArn: string;
}

export interface LogBucket {
  /** The bucket policy, as stored (undefined: none). */
  policy?: string;
  /** All four Block Public Access switches on. */
  blockPublicAccess: boolean;
  /** Default encryption is SSE-KMS. */
  kmsEncrypted: boolean;
}

export interface EncryptionKey {
  keyId: string;
  arn: string;
}

export interface OrgServicesPort {
  // --- CloudTrail (management account, home region) ---
  /** The trail of this name, with its logging status; undefined when absent. */
  findTrail(name: string): Promise<OrganizationTrail | undefined>;
  /** Creates the organisation trail (all regions, log-file validation, KMS) and starts logging. */
  createOrganizationTrail(settings: TrailSettings): Promise<void>;
  /** Brings an existing trail's settings in line and starts logging. */
  updateOrganizationTrail(settings: TrailSettings): Promise<void>;

  // --- KMS (management account) ---
  findKeyByAlias(alias: string): Promise<EncryptionKey | undefined>;
  createKey(input: { alias: string; description: string; policy: string }): Promise<EncryptionKey>;

  // --- S3 in the log-archive account ---
  findLogBucket(accountId: string, bucketName: string): Promise<LogBucket | undefined>;
  /** Creates the bucket if needed; turns Block Public Access on, SSE-KMS on, and sets the policy. */
  ensureLogBucket(accountId: string, bucketName: string, policy: string): Promise<void>;

  // --- delegated administration (Organizations, management account) ---
  listDelegatedAdministrators(servicePrincipal: string): Promise<string[]>;
  registerDelegatedAdministrator(accountId: string, servicePrincipal: string): Promise<void>;

  // --- GuardDuty ---
  /** From the management account: the organisation's GuardDuty administrator in this region. */
  getThreatDetectionAdmin(region: string): Promise<string | undefined>;
  enableThreatDetectionAdmin(accountId: string, region: string): Promise<void>;
  /** From the administrator: whether new and existing members get a detector automatically. */
  getThreatDetectionAutoEnable(adminAccountId: string, region: string): Promise<boolean>;
  enableThreatDetectionAutoEnable(adminAccountId: string, region: string): Promise<void>;

  // --- Security Hub ---
  getSecurityHubAdmin(region: string): Promise<string | undefined>;
  enableSecurityHubAdmin(accountId: string, region: string): Promise<void>;
  /** From the administrator: hub enabled there and members enabled automatically. */
  getSecurityHubAutoEnable(adminAccountId: string, region: string): Promise<boolean>;
  enableSecurityHubAutoEnable(adminAccountId: string, region: string): Promise<void>;
  /** From the administrator: whether AWS Foundational Security Best Practices is enabled. */
  getFoundationalStandardEnabled(adminAccountId: string, region: string): Promise<boolean>;
  enableFoundationalStandard(adminAccountId: string, region: string): Promise<void>;

  // --- IAM Access Analyzer ---
  /** Names of the organisation-wide analyzers in the account and region. */
  listOrganizationAnalyzers(accountId: string, region: string): Promise<string[]>;
  createOrganizationAnalyzer(accountId: string, region: string, name: string): Promise<void>;
}

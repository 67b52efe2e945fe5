/**
 * The account settings the factory applies by API inside one member account (through its access
 * role), seen from one region: the third layer of the baseline. Account-wide settings
 * (IAM, S3 account Block Public Access, alternate contacts) answer the same in every region;
 * the others are per region. Implemented in src/aws/account-settings; faked in memory by the tests.
 */

export interface PasswordPolicy {
  minimumLength: number;
  requireSymbols: boolean;
  requireNumbers: boolean;
  requireUppercase: boolean;
  requireLowercase: boolean;
  allowUsersToChange: boolean;
  /** Passwords remembered (1-24). */
  reusePrevention: number;
  maxAgeDays: number;
}

/** The four switches of S3 Block Public Access. */
export interface PublicAccessBlock {
  blockPublicAcls: boolean;
  ignorePublicAcls: boolean;
  blockPublicPolicy: boolean;
  restrictPublicBuckets: boolean;
}

export type HttpTokens = 'required' | 'optional' | 'no-preference';

/** Account-level defaults for new instances' metadata service (IMDS). */
export interface InstanceMetadataDefaults {
  httpTokens: HttpTokens;
  /** Unset means AWS's own default (1; 2 lets containers reach IMDS). */
  hopLimit?: number;
}

export type SnapshotBlockPublicAccessState = 'block-all-sharing' | 'block-new-sharing' | 'unblocked';

export interface ConfigRecorder {
  name: string;
  roleArn: string;
  allSupported: boolean;
  includeGlobalResourceTypes: boolean;
}

export interface ConfigRecorderStatus {
  name: string;
  recording: boolean;
  lastStatus?: string;
}

export interface DeliveryChannel {
  name: string;
  bucketName: string;
}

export interface ThreatDetector {
  id: string;
  enabled: boolean;
}

export const ALTERNATE_CONTACT_TYPES = ['SECURITY', 'BILLING', 'OPERATIONS'] as const;
export type AlternateContactType = (typeof ALTERNATE_CONTACT_TYPES)[number];

export interface AlternateContact {
  name: string;
  email: string;
  phone: string;
  title: string;
}

/** What a default VPC's removal took with it, for the step's detail. */
export interface DefaultVpcRemoval {
  vpcId: string;
  subnets: number;
  internetGateways: number;
  securityGroups: number;
  routeTables: number;
  networkAcls: number;
}

/** A customer managed IAM policy and its default version's document (JSON text). */
export interface LocalPolicy {
  name: string;
  arn: string;
  defaultVersionId: string;
  document: string;
}

/** What the identity controls read of an account's IAM: its users, and its own managed policies. */
export interface IamInventory {
  userNames: string[];
  localPolicies: LocalPolicy[];
}

/** An EventBridge rule and where it sends events. */
export interface EventRule {
  name: string;
  state: string;
  eventPattern?: string;
  targetArns: string[];
}

export interface AccountSettingsPort {
  readonly accountId: string;
  readonly region: string;

  // --- identity (account-wide) ---
  /** undefined when the account has no password policy (AWS's default). */
  getPasswordPolicy(): Promise<PasswordPolicy | undefined>;
  putPasswordPolicy(policy: PasswordPolicy): Promise<void>;
  /**
   * The account's IAM users and customer managed policies (each with its default version's
   * document), from one read of the account's authorisation details.
   */
  getIamInventory(): Promise<IamInventory>;
  listAccessKeyIds(userName: string): Promise<string[]>;
  /** How many access keys the root user has (0 or more). */
  countRootAccessKeys(): Promise<number>;
  /** The ARN of AWS Config's service-linked role, or undefined while it does not exist. */
  findConfigServiceRoleArn(): Promise<string | undefined>;
  createConfigServiceRole(): Promise<string>;

  // --- data protection ---
  /** Account-wide; undefined when none is set (AWS's default). */
  getS3AccountPublicAccessBlock(): Promise<PublicAccessBlock | undefined>;
  putS3AccountPublicAccessBlock(block: PublicAccessBlock): Promise<void>;
  getEbsEncryptionByDefault(): Promise<boolean>;
  enableEbsEncryptionByDefault(): Promise<void>;
  getSnapshotBlockPublicAccess(): Promise<SnapshotBlockPublicAccessState>;
  enableSnapshotBlockPublicAccess(state: SnapshotBlockPublicAccessState): Promise<void>;

  // --- compute and network ---
  getInstanceMetadataDefaults(): Promise<InstanceMetadataDefaults>;
  putInstanceMetadataDefaults(defaults: InstanceMetadataDefaults): Promise<void>;
  listDefaultVpcIds(): Promise<string[]>;
  /** Deletes a default VPC and what it holds: internet gateways, subnets, non-default SGs, RTs, NACLs. */
  deleteDefaultVpc(vpcId: string): Promise<DefaultVpcRemoval>;

  // --- recording and detection ---
  listConfigRecorders(): Promise<ConfigRecorder[]>;
  /** Creates or updates the recorder of this name (AWS allows one per region). */
  putConfigRecorder(recorder: ConfigRecorder): Promise<void>;
  listConfigRecorderStatuses(): Promise<ConfigRecorderStatus[]>;
  startConfigRecorder(name: string): Promise<void>;
  listDeliveryChannels(): Promise<DeliveryChannel[]>;
  /** Creates or updates the delivery channel of this name (AWS allows one per region). */
  putDeliveryChannel(channel: DeliveryChannel): Promise<void>;
  listThreatDetectors(): Promise<ThreatDetector[]>;
  /** The detector of this id, or undefined when the account has none of that id (GetDetector). */
  getThreatDetector(detectorId: string): Promise<ThreatDetector | undefined>;
  createThreatDetector(): Promise<string>;
  enableThreatDetector(detectorId: string): Promise<void>;

  // --- alerting (deployed by the baseline StackSet; read by the verifier) ---
  /** The rule of this name on the default event bus, or undefined when there is none. */
  getEventRule(name: string): Promise<EventRule | undefined>;

  // --- contacts (account-wide, set from the management account) ---
  getAlternateContact(type: AlternateContactType): Promise<AlternateContact | undefined>;
  putAlternateContact(type: AlternateContactType, contact: AlternateContact): Promise<void>;
}

import type {
  AccountSettingsPort,
  AlternateContact,
  AlternateContactType,
  ConfigRecorder,
  DeliveryChannel,
  DefaultVpcRemoval,
  EventRule,
  LocalPolicy,
  InstanceMetadataDefaults,
  PasswordPolicy,
  PublicAccessBlock,
  SnapshotBlockPublicAccessState,
  ThreatDetector,
} from '../../../src/domain/ports/account-settings';
import { awsError, pad, type FakeScript } from './script';

/** Account-wide settings of one member account, as AWS leaves a new one. */
export interface FakeAccountState {
  passwordPolicy?: PasswordPolicy;
  publicAccessBlock?: PublicAccessBlock;
  /** user name → access key ids */
  users: Map<string, string[]>;
  rootAccessKeys: number;
  configRoleArn?: string;
  contacts: Map<AlternateContactType, AlternateContact>;
  /** Managed policies made or re-versioned by hand, by name: they shadow what StackSets deployed. */
  policies: Map<string, LocalPolicy>;
}

export interface FakeVpc {
  id: string;
  subnets: string[];
  internetGateways: string[];
  /** Besides the default group, which goes with the VPC. */
  securityGroups: string[];
  /** Besides the main route table and the default ACL, which go with the VPC. */
  routeTables: string[];
  networkAcls: string[];
  networkInterfaces: number;
}

/**
 * The availability zones a new account's default VPC has a subnet in, one each: AWS makes one
 * per zone of the region (us-east-1 has six; most regions three).
 */
const ZONES_BY_REGION: Readonly<Record<string, number>> = { 'us-east-1': 6, 'us-west-2': 4 };
function zonesOf(region: string): string[] {
  return 'abcdef'.slice(0, ZONES_BY_REGION[region] ?? 3).split('');
}

/** One region of one member account, as AWS leaves a new one: a default VPC, nothing else on. */
export interface FakeRegionState {
  ebsEncryption: boolean;
  imds: InstanceMetadataDefaults;
  snapshotAccess: SnapshotBlockPublicAccessState;
  defaultVpcs: FakeVpc[];
  recorders: ConfigRecorder[];
  /** recorder name → recording */
  recording: Map<string, boolean>;
  channels: DeliveryChannel[];
  detectors: ThreatDetector[];
}

export type AccountSettingsMethod = Exclude<keyof AccountSettingsPort, 'accountId' | 'region'>;

/**
 * Member accounts in memory, created on first touch with AWS's defaults. Tests seed or read the
 * state (`account(id)`, `region(id, r)`) and script gaps: a method in `unimplemented` fails as an
 * emulator's missing API does (AwsError NotImplemented).
 */
export class FakeMemberAccounts {
  readonly unimplemented = new Set<AccountSettingsMethod>();
  private readonly accounts = new Map<string, FakeAccountState>();
  private readonly regions = new Map<string, FakeRegionState>();

  constructor(
    private readonly s: FakeScript,
    /** The event rules StackSets deployed into an account and region (the fake StackSets answer). */
    readonly deployedEventRules: (accountId: string, region: string) => EventRule[] = () => [],
    /** The managed policies StackSets deployed into an account. */
    readonly deployedPolicies: (accountId: string) => LocalPolicy[] = () => [],
  ) {}

  account(accountId: string): FakeAccountState {
    let state = this.accounts.get(accountId);
    if (!state) {
      state = { users: new Map(), rootAccessKeys: 0, contacts: new Map(), policies: new Map() };
      this.accounts.set(accountId, state);
    }
    return state;
  }

  region(accountId: string, region: string): FakeRegionState {
    const key = `${accountId}/${region}`;
    let state = this.regions.get(key);
    if (!state) {
      const n = this.s.next('vpc');
      state = {
        ebsEncryption: false,
        imds: { httpTokens: 'no-preference' },
        snapshotAccess: 'unblocked',
        defaultVpcs: [
          {
            id: `vpc-${pad(n, 8)}`,
            subnets: zonesOf(region).map((az) => `subnet-${pad(n, 6)}${az}`),
            internetGateways: [`igw-${pad(n, 8)}`],
            securityGroups: [],
            routeTables: [],
            networkAcls: [],
            networkInterfaces: 0,
          },
        ],
        recorders: [],
        recording: new Map(),
        channels: [],
        detectors: [],
      };
      this.regions.set(key, state);
    }
    return state;
  }

  port(accountId: string, region: string): AccountSettingsPort {
    return new FakeAccountSettings(this, this.s, accountId, region);
  }

  /** Counts the call; a scripted gap fails as moto's unimplemented operations do. */
  enter(method: AccountSettingsMethod): void {
    this.s.enter(method);
    if (this.unimplemented.has(method)) {
      throw awsError(method, 'NotImplemented', `the ${method} action has not been implemented`);
    }
  }
}

class FakeAccountSettings implements AccountSettingsPort {
  constructor(
    private readonly m: FakeMemberAccounts,
    private readonly s: FakeScript,
    readonly accountId: string,
    readonly region: string,
  ) {}

  private get acct(): FakeAccountState {
    return this.m.account(this.accountId);
  }
  private get here(): FakeRegionState {
    return this.m.region(this.accountId, this.region);
  }
  private async read<T>(method: AccountSettingsMethod, value: () => T): Promise<T> {
    this.m.enter(method);
    return Promise.resolve(structuredClone(value()));
  }
  private async write(method: AccountSettingsMethod, change: () => void): Promise<void> {
    this.m.enter(method);
    change();
    return Promise.resolve();
  }

  /** The users, and the policies made by hand, shadowing those StackSets deployed of the same name. */
  getIamInventory = () =>
    this.read('getIamInventory', () => {
      const byHand = [...this.acct.policies.values()];
      const deployed = this.m
        .deployedPolicies(this.accountId)
        .filter((p) => !byHand.some((h) => h.name === p.name));
      return { userNames: [...this.acct.users.keys()], localPolicies: [...byHand, ...deployed] };
    });
  getPasswordPolicy = () => this.read('getPasswordPolicy', () => this.acct.passwordPolicy);
  putPasswordPolicy = (p: PasswordPolicy) =>
    this.write('putPasswordPolicy', () => (this.acct.passwordPolicy = { ...p }));
  listAccessKeyIds = (user: string) => this.read('listAccessKeyIds', () => this.acct.users.get(user) ?? []);
  countRootAccessKeys = () => this.read('countRootAccessKeys', () => this.acct.rootAccessKeys);
  findConfigServiceRoleArn = () => this.read('findConfigServiceRoleArn', () => this.acct.configRoleArn);
  createConfigServiceRole = async () => {
    this.m.enter('createConfigServiceRole');
    if (this.acct.configRoleArn)
      throw awsError('iam:CreateServiceLinkedRole', 'InvalidInput', 'role name taken');
    this.acct.configRoleArn = `arn:aws:iam::${this.accountId}:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig`;
    return Promise.resolve(this.acct.configRoleArn);
  };

  getS3AccountPublicAccessBlock = () =>
    this.read('getS3AccountPublicAccessBlock', () => this.acct.publicAccessBlock);
  putS3AccountPublicAccessBlock = (b: PublicAccessBlock) =>
    this.write('putS3AccountPublicAccessBlock', () => (this.acct.publicAccessBlock = { ...b }));
  getEbsEncryptionByDefault = () => this.read('getEbsEncryptionByDefault', () => this.here.ebsEncryption);
  enableEbsEncryptionByDefault = () =>
    this.write('enableEbsEncryptionByDefault', () => (this.here.ebsEncryption = true));
  getSnapshotBlockPublicAccess = () =>
    this.read('getSnapshotBlockPublicAccess', () => this.here.snapshotAccess);
  enableSnapshotBlockPublicAccess = (state: SnapshotBlockPublicAccessState) =>
    this.write('enableSnapshotBlockPublicAccess', () => (this.here.snapshotAccess = state));

  getInstanceMetadataDefaults = () => this.read('getInstanceMetadataDefaults', () => this.here.imds);
  putInstanceMetadataDefaults = (d: InstanceMetadataDefaults) =>
    this.write('putInstanceMetadataDefaults', () => (this.here.imds = { ...d }));
  listDefaultVpcIds = () => this.read('listDefaultVpcIds', () => this.here.defaultVpcs.map((v) => v.id));
  deleteDefaultVpc = async (vpcId: string): Promise<DefaultVpcRemoval> => {
    this.m.enter('deleteDefaultVpc');
    const vpc = this.here.defaultVpcs.find((v) => v.id === vpcId);
    if (!vpc) throw awsError('ec2:DeleteVpc', 'InvalidVpcID.NotFound', `${vpcId} does not exist`);
    if (vpc.networkInterfaces > 0) throw awsError('ec2:DeleteVpc', 'DefaultVpcInUse', `${vpcId} is in use`);
    this.here.defaultVpcs = this.here.defaultVpcs.filter((v) => v !== vpc);
    return Promise.resolve({
      vpcId,
      subnets: vpc.subnets.length,
      internetGateways: vpc.internetGateways.length,
      securityGroups: vpc.securityGroups.length,
      routeTables: vpc.routeTables.length,
      networkAcls: vpc.networkAcls.length,
    });
  };

  listConfigRecorders = () => this.read('listConfigRecorders', () => this.here.recorders);
  putConfigRecorder = async (r: ConfigRecorder) => {
    this.m.enter('putConfigRecorder');
    const others = this.here.recorders.filter((x) => x.name !== r.name);
    if (others.length > 0) {
      throw awsError(
        'config:PutConfigurationRecorder',
        'MaxNumberOfConfigurationRecordersExceededException',
        'one per region',
      );
    }
    this.here.recorders = [{ ...r }];
    return Promise.resolve();
  };
  listConfigRecorderStatuses = () =>
    this.read('listConfigRecorderStatuses', () =>
      this.here.recorders.map((r) => ({ name: r.name, recording: this.here.recording.get(r.name) ?? false })),
    );
  startConfigRecorder = async (name: string) => {
    this.m.enter('startConfigRecorder');
    if (!this.here.recorders.some((r) => r.name === name)) {
      throw awsError('config:StartConfigurationRecorder', 'NoSuchConfigurationRecorderException', name);
    }
    if (this.here.channels.length === 0) {
      throw awsError(
        'config:StartConfigurationRecorder',
        'NoAvailableDeliveryChannelException',
        'no channel',
      );
    }
    this.here.recording.set(name, true);
    return Promise.resolve();
  };
  listDeliveryChannels = () => this.read('listDeliveryChannels', () => this.here.channels);
  putDeliveryChannel = async (c: DeliveryChannel) => {
    this.m.enter('putDeliveryChannel');
    if (this.here.recorders.length === 0) {
      throw awsError('config:PutDeliveryChannel', 'NoAvailableConfigurationRecorderException', 'no recorder');
    }
    if (this.here.channels.some((x) => x.name !== c.name)) {
      throw awsError(
        'config:PutDeliveryChannel',
        'MaxNumberOfDeliveryChannelsExceededException',
        'one per region',
      );
    }
    this.here.channels = [{ ...c }];
    return Promise.resolve();
  };

  listThreatDetectors = () => this.read('listThreatDetectors', () => this.here.detectors);
  getThreatDetector = (id: string) =>
    this.read('getThreatDetector', () => this.here.detectors.find((d) => d.id === id));
  createThreatDetector = async () => {
    this.m.enter('createThreatDetector');
    if (this.here.detectors.length > 0) {
      throw awsError('guardduty:CreateDetector', 'BadRequestException', 'a detector already exists');
    }
    const id = `det${pad(this.s.next('detector'), 29)}`;
    this.here.detectors.push({ id, enabled: true });
    return Promise.resolve(id);
  };
  enableThreatDetector = (id: string) =>
    this.write('enableThreatDetector', () => {
      for (const d of this.here.detectors) if (d.id === id) d.enabled = true;
    });

  getEventRule = (name: string) =>
    this.read('getEventRule', () =>
      this.m.deployedEventRules(this.accountId, this.region).find((r) => r.name === name),
    );

  getAlternateContact = (type: AlternateContactType) =>
    this.read('getAlternateContact', () => this.acct.contacts.get(type));
  putAlternateContact = (type: AlternateContactType, c: AlternateContact) =>
    this.write('putAlternateContact', () => this.acct.contacts.set(type, { ...c }));
}

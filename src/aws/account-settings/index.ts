import type { AccountSettingsPort } from '../../domain/ports/account-settings';
import type { ClientFactory } from '../clients';
import { MemberContactsAdapter } from './account';
import { MemberConfigAdapter } from './config';
import { MemberEc2Adapter } from './ec2';
import { MemberEventsAdapter } from './events';
import { MemberGuardDutyAdapter } from './guardduty';
import { MemberIamAdapter } from './iam';
import { MemberS3ControlAdapter } from './s3control';

export {
  MemberConfigAdapter,
  MemberContactsAdapter,
  MemberEc2Adapter,
  MemberEventsAdapter,
  MemberGuardDutyAdapter,
  MemberIamAdapter,
  MemberS3ControlAdapter,
};

/** These methods of `adapter`, bound to it, so the port can be assembled from one adapter per service. */
function methods<T extends object, K extends keyof T>(adapter: T, keys: readonly K[]): Pick<T, K> {
  const picked = {} as Pick<T, K>;
  for (const key of keys) {
    const member = adapter[key];
    picked[key] = (typeof member === 'function' ? member.bind(adapter) : member) as T[K];
  }
  return picked;
}

export interface MemberAccountClients {
  /** Clients with the member account's assumed-role credentials, in the port's region. */
  member: ClientFactory;
  /** The factory's own (management-account) clients, for calls made on the member's behalf. */
  management: ClientFactory;
}

/** The settings port of one member account in one region, from one adapter per AWS service. */
export function createAccountSettings(
  accountId: string,
  region: string,
  clients: MemberAccountClients,
  maxPages?: number,
): AccountSettingsPort {
  const { member, management } = clients;
  const iam = new MemberIamAdapter(member.iam(), maxPages);
  const s3 = new MemberS3ControlAdapter(member.s3Control(region), accountId);
  const ec2 = new MemberEc2Adapter(member.ec2(region), maxPages);
  const config = new MemberConfigAdapter(member.configService(region));
  const guardDuty = new MemberGuardDutyAdapter(member.guardDuty(region), maxPages);
  const contacts = new MemberContactsAdapter(management.account(), accountId);
  const events = new MemberEventsAdapter(member.eventBridge(region));
  return {
    accountId,
    region,
    ...methods(iam, [
      'getPasswordPolicy',
      'putPasswordPolicy',
      'getIamInventory',
      'listAccessKeyIds',
      'countRootAccessKeys',
      'findConfigServiceRoleArn',
      'createConfigServiceRole',
    ] as const),
    ...methods(s3, ['getS3AccountPublicAccessBlock', 'putS3AccountPublicAccessBlock'] as const),
    ...methods(ec2, [
      'getEbsEncryptionByDefault',
      'enableEbsEncryptionByDefault',
      'getSnapshotBlockPublicAccess',
      'enableSnapshotBlockPublicAccess',
      'getInstanceMetadataDefaults',
      'putInstanceMetadataDefaults',
      'listDefaultVpcIds',
      'deleteDefaultVpc',
    ] as const),
    ...methods(config, [
      'listConfigRecorders',
      'putConfigRecorder',
      'listConfigRecorderStatuses',
      'startConfigRecorder',
      'listDeliveryChannels',
      'putDeliveryChannel',
    ] as const),
    ...methods(guardDuty, [
      'listThreatDetectors',
      'getThreatDetector',
      'createThreatDetector',
      'enableThreatDetector',
    ] as const),
    ...methods(contacts, ['getAlternateContact', 'putAlternateContact'] as const),
    ...methods(events, ['getEventRule'] as const),
  };
}

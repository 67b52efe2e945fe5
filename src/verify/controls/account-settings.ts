import {
  BLOCK_ALL_PUBLIC_ACCESS,
  desiredAlternateContacts,
  desiredPasswordPolicy,
  differences,
} from '../../domain/hardening';
import type { AccountSettingsPort } from '../../domain/ports/account-settings';
import type { Control, ControlContext } from '../verifier';
import { accountWide, verdict } from './account-settings-read';
import { iamInventory } from './once-per-verification';
import {
  configRecorderControl,
  ebsEncryptionControl,
  imdsV2Control,
  noDefaultVpcControl,
  snapshotPublicAccessControl,
  threatDetectorControl,
} from './account-settings-regional';

/** The account settings layer (read in the member account through its access role). */

/** The account's IAM user names, from its inventory read once per verification. */
const iamUsers = async (ctx: ControlContext, port: AccountSettingsPort): Promise<string[]> =>
  (await iamInventory(ctx, port)).userNames;

export const noIamUsersControl: Control = {
  id: 'IAM-1',
  title: 'no IAM users; access through Identity Center',
  seeds: ['000', '002', '004'],
  enforcedBy: 'SCP, IdC',
  evaluate: (ctx) =>
    accountWide(ctx, async (port) => {
      const users = await iamUsers(ctx, port);
      return verdict(
        users.length === 0 ? [] : [`IAM users: ${users.join(', ')}`],
        'GetAccountAuthorizationDetails: no users',
      );
    }),
};

export const noAccessKeysControl: Control = {
  id: 'IAM-2',
  title: 'no long-lived access keys',
  seeds: ['000', '002', '003', '004'],
  enforcedBy: 'SCP',
  evaluate: (ctx) =>
    accountWide(ctx, async (port) => {
      const problems: string[] = [];
      const users = await iamUsers(ctx, port);
      for (const user of users) {
        const keys = await port.listAccessKeyIds(user);
        if (keys.length > 0) problems.push(`${user} has access keys ${keys.join(', ')}`);
      }
      return verdict(problems, `no access keys on ${users.length} user(s)`);
    }),
};

export const noRootKeysControl: Control = {
  id: 'IAM-3',
  title: 'no root user access keys',
  seeds: ['000', '003', '004'],
  enforcedBy: 'SCP',
  evaluate: (ctx) =>
    accountWide(ctx, async (port) => {
      const keys = await port.countRootAccessKeys();
      return verdict(keys === 0 ? [] : [`AccountAccessKeysPresent: ${keys}`], 'AccountAccessKeysPresent: 0');
    }),
};

export const passwordPolicyControl: Control = {
  id: 'IAM-4',
  title: 'strong IAM password policy',
  seeds: ['001', '003'],
  enforcedBy: 'API',
  evaluate: (ctx) =>
    accountWide(ctx, async (port) => {
      const wanted = desiredPasswordPolicy(ctx.config.config);
      const problems = differences(await port.getPasswordPolicy(), wanted).map((d) => `password policy ${d}`);
      return verdict(
        problems,
        `min length ${wanted.minimumLength}, symbols/numbers/upper/lower, reuse prevention ${wanted.reusePrevention}, max age ${wanted.maxAgeDays} days`,
      );
    }),
};

export const s3PublicAccessControl: Control = {
  id: 'D-1',
  title: 'S3 Block Public Access at account level',
  seeds: ['000', '001', '003'],
  enforcedBy: 'API',
  evaluate: (ctx) =>
    accountWide(ctx, async (port) => {
      const problems = differences(await port.getS3AccountPublicAccessBlock(), BLOCK_ALL_PUBLIC_ACCESS);
      return verdict(
        problems.map((p) => `account public access block ${p}`),
        'BlockPublicAcls, IgnorePublicAcls, BlockPublicPolicy, RestrictPublicBuckets: all true',
      );
    }),
};

export const alternateContactsControl: Control = {
  id: 'A-1',
  title: 'alternate contacts (security, billing, operations) set',
  seeds: ['004'],
  enforcedBy: 'API',
  evaluate: (ctx) =>
    accountWide(ctx, async (port) => {
      const wanted = desiredAlternateContacts(ctx.config.config);
      if (!wanted) return verdict(['hardening.alternateContacts is not configured'], '');
      const problems: string[] = [];
      for (const { type, contact } of wanted) {
        const diff = differences(await port.getAlternateContact(type), contact);
        if (diff.length > 0) problems.push(`${type}: ${diff.join(', ')}`);
      }
      return verdict(problems, wanted.map((w) => `${w.type}: ${w.contact.email}`).join(', '));
    }),
};

/** Every control of the account settings layer, in report order. */
export const ACCOUNT_SETTINGS_CONTROLS: Control[] = [
  noIamUsersControl,
  noAccessKeysControl,
  noRootKeysControl,
  passwordPolicyControl,
  s3PublicAccessControl,
  ebsEncryptionControl,
  snapshotPublicAccessControl,
  imdsV2Control,
  noDefaultVpcControl,
  configRecorderControl,
  threatDetectorControl,
  alternateContactsControl,
];

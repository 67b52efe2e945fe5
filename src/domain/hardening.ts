import {
  ALTERNATE_CONTACT_TYPES,
  type AlternateContact,
  type AlternateContactType,
  type ConfigRecorder,
  type PasswordPolicy,
  type PublicAccessBlock,
} from './ports/account-settings';

/**
 * What a hardened account looks like, and how far a read-back is from it: shared by the ensures
 * (which write only on a difference) and the verify controls (which report the difference).
 */

/** AWS allows one recorder per region; a new one gets this name, an existing one keeps its own. */
export const CONFIG_RECORDER_NAME = 'default';
export const DELIVERY_CHANNEL_NAME = 'default';

export const BLOCK_ALL_PUBLIC_ACCESS: PublicAccessBlock = {
  blockPublicAcls: true,
  ignorePublicAcls: true,
  blockPublicPolicy: true,
  restrictPublicBuckets: true,
};

/**
 * The parts of the factory config these rules read, as structural types: the domain imports
 * nothing of ours, so it names the shape instead of the config schema.
 */
interface HardeningSettings {
  homeRegion: string;
  hardening: {
    passwordPolicy: PasswordPolicy;
    alternateContacts?: Record<'security' | 'billing' | 'operations', AlternateContact>;
  };
}

export function desiredPasswordPolicy(config: HardeningSettings): PasswordPolicy {
  return { ...config.hardening.passwordPolicy };
}

/** `field: actual ≠ wanted` for every field that differs; [] when they match. */
export function differences<T extends object>(actual: T | undefined, wanted: T): string[] {
  if (!actual) return ['not set'];
  return (Object.keys(wanted) as Array<keyof T>)
    .filter((k) => actual[k] !== wanted[k])
    .map((k) => `${String(k)}: ${String(actual[k])} ≠ ${String(wanted[k])}`);
}

/**
 * Global resource types (IAM) are recorded in the home region only: AWS recommends one region,
 * since every region would otherwise record the same IAM items again (and bill for them).
 */
export function recordsGlobalTypes(config: Pick<HardeningSettings, 'homeRegion'>, region: string): boolean {
  return region === config.homeRegion;
}

/** Problems with a region's recorder against the baseline (role not compared: any working role does). */
export function recorderProblems(recorder: ConfigRecorder | undefined, includeGlobal: boolean): string[] {
  if (!recorder) return ['no configuration recorder'];
  return differences(
    { allSupported: recorder.allSupported, includeGlobalResourceTypes: recorder.includeGlobalResourceTypes },
    { allSupported: true, includeGlobalResourceTypes: includeGlobal },
  );
}

export function desiredAlternateContacts(
  config: Pick<HardeningSettings, 'hardening'>,
): Array<{ type: AlternateContactType; contact: AlternateContact }> | undefined {
  const contacts = config.hardening.alternateContacts;
  if (!contacts) return undefined;
  const byType = { SECURITY: contacts.security, BILLING: contacts.billing, OPERATIONS: contacts.operations };
  return ALTERNATE_CONTACT_TYPES.map((type) => ({ type, contact: { ...byType[type] } }));
}

import type { FactoryConfig } from '../../config/schema';
import type { AccountSettingsPort } from '../../domain/ports/account-settings';

/** What an ensure works on: one member account seen from one region. */
export interface HardeningContext {
  config: FactoryConfig;
  port: AccountSettingsPort;
  /** The central AWS Config bucket in the log-archive account. */
  configBucket: string;
  /**
   * Write settings that one idempotent call sets without reading them first (a vend: the
   * verification step reads every one of them right after, so a read here would be repeated), and
   * AWS Config's recorder, channel and role unlooked (a new account has none; one of another name
   * is adopted when AWS refuses a second). Rollouts and drift remediation read first, to report
   * what had drifted.
   */
  writeWithoutReading?: boolean;
  /**
   * AWS Config's service-linked role for the regions hardened together: IAM is account-wide, so
   * it is looked up (or created) once for all of them. Absent: each region looks it up itself.
   */
  configServiceRole?: (port: AccountSettingsPort) => Promise<string>;
}

export interface EnsureResult {
  /** False when the setting already held and nothing was written. */
  changed: boolean;
  detail: string;
  /** The id of what holds the setting, where the verification can read it directly (a detector). */
  handle?: string;
}

/**
 * One account setting made true: reads first and writes only what differs, so running it again
 * (after a crash, on retry, on an adopted account) changes nothing.
 */
export interface Ensure {
  setting: string;
  /** `account`: the same in every region, applied once (from the home region); `region`: per region. */
  scope: 'account' | 'region';
  apply(ctx: HardeningContext): Promise<EnsureResult>;
}

export const unchanged = (detail: string, handle?: string): EnsureResult => ({
  changed: false,
  detail,
  ...(handle === undefined ? {} : { handle }),
});
export const changed = (detail: string, handle?: string): EnsureResult => ({
  changed: true,
  detail,
  ...(handle === undefined ? {} : { handle }),
});

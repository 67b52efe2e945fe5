import { AvfError, AwsError } from '../../domain/errors';
import { sideBySide } from '../side-by-side';
import { alternateContacts } from './alternate-contacts';
import { configRecorder } from './config-recorder';
import { defaultVpcRemoved } from './default-vpc';
import { ebsEncryptionByDefault } from './ebs-encryption';
import type { Ensure, HardeningContext } from './ensure';
import { instanceMetadataDefaults } from './instance-metadata';
import { passwordPolicy } from './password-policy';
import { s3PublicAccessBlock } from './s3-public-access';
import { snapshotBlockPublicAccess } from './snapshot-public-access';
import { threatDetector } from './threat-detector';

export type { Ensure, EnsureResult, HardeningContext } from './ensure';

/** Every setting of the hardening layer, in the order applied. */
export const ENSURES: readonly Ensure[] = [
  passwordPolicy,
  s3PublicAccessBlock,
  alternateContacts,
  ebsEncryptionByDefault,
  snapshotBlockPublicAccess,
  instanceMetadataDefaults,
  defaultVpcRemoved,
  configRecorder,
  threatDetector,
];

export interface SettingOutcome {
  setting: string;
  region: string;
  /** applied: written now; held: already so; gap: the emulator cannot do it. */
  result: 'applied' | 'held' | 'gap';
  detail: string;
  /** EnsureResult.handle: what holds the setting (the GuardDuty detector's id). */
  handle?: string;
}

/**
 * Applies the ensures for one region (account-wide ones only when `includeAccountWide`). The
 * settings are independent of each other, so they are applied side by side; outcomes are in
 * ENSURES order, and when several fail the first in that order is thrown. On an emulator, an
 * operation it does not implement is recorded as a gap instead of failing; every other error is
 * thrown for the step to judge.
 */
export async function harden(
  ctx: HardeningContext,
  options: {
    includeAccountWide: boolean;
    emulator: boolean;
    /** Only these settings (by `Ensure.setting`); all when absent (drift remediation picks a few). */
    settings?: readonly string[];
  },
): Promise<SettingOutcome[]> {
  const chosen = ENSURES.filter(
    (ensure) =>
      (ensure.scope !== 'account' || options.includeAccountWide) &&
      (!options.settings || options.settings.includes(ensure.setting)),
  );
  return sideBySide(chosen.map((ensure) => applyOne(ctx, ensure, options.emulator)));
}

async function applyOne(ctx: HardeningContext, ensure: Ensure, emulator: boolean): Promise<SettingOutcome> {
  const region = ensure.scope === 'account' ? 'account' : ctx.port.region;
  try {
    const r = await ensure.apply(ctx);
    return {
      setting: ensure.setting,
      region,
      result: r.changed ? 'applied' : 'held',
      detail: r.detail,
      ...(r.handle === undefined ? {} : { handle: r.handle }),
    };
  } catch (e) {
    if (!(emulator && e instanceof AwsError && e.awsCode === 'NotImplemented')) {
      throw e instanceof AvfError && !e.retryable
        ? new AvfError(
            'HARDENING_FAILED',
            `${ensure.setting} (${region}) in account ${ctx.port.accountId}: ${e.message}`,
            { cause: e },
          )
        : e;
    }
    return { setting: ensure.setting, region, result: 'gap', detail: `${e.operation} is not implemented` };
  }
}

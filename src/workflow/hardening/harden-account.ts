import { configBucketName } from '../../domain/names';
import { sideBySide } from '../side-by-side';
import type { WorkflowDeps } from '../step';
import type { AccountSettingsPort } from '../../domain/ports/account-settings';
import { configServiceRole } from './config-recorder';
import { harden, type SettingOutcome } from './index';

/**
 * Every account setting in one account: account-wide ones once (from the home region), the
 * others in every governed region. Used by the vend, by rollouts and by drift remediation.
 */
export async function hardenAccount(
  deps: WorkflowDeps,
  accountId: string,
  options: {
    /** Only these settings (`Ensure.setting`), e.g. the drifted ones; all when absent. */
    settings?: readonly string[];
    /** HardeningContext.writeWithoutReading: the vend, whose verification reads every setting next. */
    writeWithoutReading?: boolean;
    /** What the writes are for, naming the member-account session (`memberSessionName`). */
    activity?: string;
  } = {},
): Promise<SettingOutcome[]> {
  const { settings, writeWithoutReading = false, activity } = options;
  const { config } = deps.config;
  const logArchiveId = await deps.directory.accountIdByEmail(config.organization.logArchive.email);
  const configBucket = configBucketName(logArchiveId);
  const regions = [config.homeRegion, ...config.governedRegions.filter((r) => r !== config.homeRegion)];
  // IAM is account-wide: the regions' recorders share one lookup (or creation) of Config's role
  let role: Promise<string> | undefined;
  // (a vend creates it unlooked: a new account has none, and a create that finds one still answers it)
  const sharedRole = (port: AccountSettingsPort) => (role ??= configServiceRole(port, writeWithoutReading));
  // Regions are independent otherwise: harden them side by side (a failure is reported in region order).
  const perRegion = await sideBySide(
    regions.map(async (region) =>
      harden(
        {
          config,
          port: await deps.aws.memberAccount(accountId, region, activity),
          configBucket,
          writeWithoutReading,
          configServiceRole: sharedRole,
        },
        {
          includeAccountWide: region === config.homeRegion,
          emulator: deps.verifier.emulator,
          ...(settings ? { settings } : {}),
        },
      ),
    ),
  );
  return perRegion.flat();
}

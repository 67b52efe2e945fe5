import { configBucketName } from '../../domain/hardening';
import { harden as hardenRegion, type SettingOutcome } from '../hardening';
import { accountIdOf, done, type Step } from '../step';

function describe(outcomes: SettingOutcome[]): string {
  const at = (o: SettingOutcome) => `${o.setting}@${o.region}`;
  const applied = outcomes.filter((o) => o.result === 'applied').map(at);
  const held = outcomes.filter((o) => o.result === 'held').length;
  const gaps = outcomes.filter((o) => o.result === 'gap').map((o) => `${at(o)} (${o.detail})`);
  return [
    `applied: ${applied.length > 0 ? applied.join(', ') : 'none'}`,
    `already held: ${held}`,
    ...(gaps.length > 0 ? [`not applied, emulator lacks the API: ${gaps.join(', ')}`] : []),
  ].join('; ');
}

/**
 * The account-settings layer of the baseline, applied in the new account through its access
 * role: account-wide settings once (from the home region), the others in every governed region.
 * Runs before the StackSets, whose Config rules need the recorder. Every ensure reads before it
 * writes, so the whole step is safe to repeat.
 */
export const harden: Step = async ({ deps, record }) => {
  const accountId = accountIdOf(record);
  const { config } = deps.config;
  const logArchiveId = await deps.directory.accountIdByEmail(config.organization.logArchive.email);
  const configBucket = configBucketName(logArchiveId);
  const regions = [config.homeRegion, ...config.governedRegions.filter((r) => r !== config.homeRegion)];
  const outcomes: SettingOutcome[] = [];
  for (const region of regions) {
    const port = await deps.aws.memberAccount(accountId, region);
    outcomes.push(
      ...(await hardenRegion(
        { config, port, configBucket },
        { includeAccountWide: region === config.homeRegion, emulator: deps.verifier.emulator },
      )),
    );
  }
  return done(describe(outcomes));
};

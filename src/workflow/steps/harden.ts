import type { SettingOutcome } from '../hardening';
import { hardenAccount } from '../hardening/harden-account';
import { threatDetector } from '../hardening/threat-detector';
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
 * Runs before the StackSets, whose Config rules need the recorder. Settings one idempotent call
 * sets are written without reading them first (the verify step reads each of them); the others
 * read before they write, so the whole step is safe to repeat. The GuardDuty detectors' ids are
 * kept on the record for the verification to read them directly.
 */
export const harden: Step = async ({ deps, record }) => {
  const outcomes = await hardenAccount(deps, accountIdOf(record), {
    writeWithoutReading: true,
    activity: record.id,
  });
  const detectors = outcomes.filter((o) => o.setting === threatDetector.setting && o.handle);
  if (detectors.length > 0)
    record.handles.threatDetectors = Object.fromEntries(detectors.map((o) => [o.region, o.handle!]));
  return done(describe(outcomes));
};

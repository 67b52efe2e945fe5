import { desiredPasswordPolicy, differences } from '../../domain/hardening';
import { changed, unchanged, type Ensure } from './ensure';

/** IAM-4: the account password policy from the config. */
export const passwordPolicy: Ensure = {
  setting: 'password-policy',
  scope: 'account',
  async apply({ config, port, writeWithoutReading }) {
    const wanted = desiredPasswordPolicy(config);
    if (writeWithoutReading) {
      await port.putPasswordPolicy(wanted);
      return changed('password policy set');
    }
    const diff = differences(await port.getPasswordPolicy(), wanted);
    if (diff.length === 0) return unchanged('password policy already matches');
    await port.putPasswordPolicy(wanted);
    return changed(`password policy set (${diff.join(', ')})`);
  },
};

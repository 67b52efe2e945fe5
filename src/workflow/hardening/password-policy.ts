import { desiredPasswordPolicy, differences } from '../../domain/hardening';
import { changed, unchanged, type Ensure } from './ensure';

/** IAM-4: the account password policy from the config. */
export const passwordPolicy: Ensure = {
  setting: 'password-policy',
  scope: 'account',
  async apply({ config, port }) {
    const wanted = desiredPasswordPolicy(config);
    const diff = differences(await port.getPasswordPolicy(), wanted);
    if (diff.length === 0) return unchanged('password policy already matches');
    await port.putPasswordPolicy(wanted);
    return changed(`password policy set (${diff.join(', ')})`);
  },
};

import { desiredAlternateContacts, differences } from '../../domain/hardening';
import { changed, unchanged, type Ensure } from './ensure';

/** the security, billing and operations contacts from the config. */
export const alternateContacts: Ensure = {
  setting: 'alternate-contacts',
  scope: 'account',
  async apply({ config, port, writeWithoutReading }) {
    const wanted = desiredAlternateContacts(config);
    if (!wanted) return unchanged('no alternate contacts configured (hardening.alternateContacts)');
    const set: string[] = [];
    for (const { type, contact } of wanted) {
      if (!writeWithoutReading && differences(await port.getAlternateContact(type), contact).length === 0)
        continue;
      await port.putAlternateContact(type, contact);
      set.push(type);
    }
    return set.length === 0
      ? unchanged('alternate contacts already match')
      : changed(`alternate contacts set: ${set.join(', ')}`);
  },
};

import {
  GetAlternateContactCommand,
  PutAlternateContactCommand,
  type AccountClient,
} from '@aws-sdk/client-account';
import type { AlternateContact, AlternateContactType } from '../../domain/ports/account-settings';
import { call, callTolerating } from '../errors';

/**
 * AWS Account Management, called from the MANAGEMENT account with the member's AccountId (trusted
 * access for account.amazonaws.com), so contacts are set even where the member's role could not.
 */
export class MemberContactsAdapter {
  constructor(
    private readonly client: AccountClient,
    private readonly accountId: string,
  ) {}

  /** account:GetAlternateContact — none set is undefined. */
  async getAlternateContact(type: AlternateContactType): Promise<AlternateContact | undefined> {
    const out = await callTolerating('account:GetAlternateContact', ['ResourceNotFoundException'], () =>
      this.client.send(
        new GetAlternateContactCommand({ AccountId: this.accountId, AlternateContactType: type }),
      ),
    );
    const c = out?.AlternateContact;
    if (!c) return undefined;
    return {
      name: c.Name ?? '',
      email: c.EmailAddress ?? '',
      phone: c.PhoneNumber ?? '',
      title: c.Title ?? '',
    };
  }

  /** account:PutAlternateContact */
  async putAlternateContact(type: AlternateContactType, contact: AlternateContact): Promise<void> {
    await call('account:PutAlternateContact', () =>
      this.client.send(
        new PutAlternateContactCommand({
          AccountId: this.accountId,
          AlternateContactType: type,
          Name: contact.name,
          EmailAddress: contact.email,
          PhoneNumber: contact.phone,
          Title: contact.title,
        }),
      ),
    );
  }
}

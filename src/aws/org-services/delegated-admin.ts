import {
  paginateListDelegatedAdministrators,
  RegisterDelegatedAdministratorCommand,
  type OrganizationsClient,
} from '@aws-sdk/client-organizations';
import { callTolerating } from '../errors';
import { Pages } from '../pagination';

/** Organizations delegated administration, for services that do not register it themselves. */
export class DelegatedAdminAdapter {
  private readonly pages: Pages<OrganizationsClient>;

  constructor(
    private readonly client: OrganizationsClient,
    maxPages?: number,
  ) {
    this.pages = new Pages(client, maxPages);
  }

  /** organizations:ListDelegatedAdministrators — account ids for the service principal. */
  async list(servicePrincipal: string): Promise<string[]> {
    const admins = await this.pages.collect(
      'organizations:ListDelegatedAdministrators',
      paginateListDelegatedAdministrators,
      { ServicePrincipal: servicePrincipal },
      (page) => page.DelegatedAdministrators,
    );
    return admins.flatMap((a) => (a.Id ? [a.Id] : []));
  }

  /** organizations:RegisterDelegatedAdministrator — already registered is success. */
  async register(accountId: string, servicePrincipal: string): Promise<void> {
    await callTolerating(
      'organizations:RegisterDelegatedAdministrator',
      ['AccountAlreadyRegisteredException'],
      () =>
        this.client.send(
          new RegisterDelegatedAdministratorCommand({
            AccountId: accountId,
            ServicePrincipal: servicePrincipal,
          }),
        ),
    );
  }
}

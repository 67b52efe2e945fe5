import type { AwsPorts } from '../domain/ports/aws';
import { createAccountSettings } from './account-settings';
import { BudgetsAdapter } from './budgets';
import { createClientFactory, type ClientFactory, type ClientFactoryOptions } from './clients';
import { createCostExplorerAdapter } from './cost-explorer';
import { ExecutionRolesAdapter } from './execution-roles';
import { EventBridgeAdapter } from './eventbridge';
import { IdentityCenterAdapter } from './identity-center';
import { OrgServicesAdapter } from './org-services';
import { OrganizationsAdapter } from './organizations';
import { StackSetsAdapter } from './stacksets';
import { StsAdapter } from './sts';
import { memberSessionName } from '../domain/names';

export { createClientFactory, type ClientFactory, type ClientFactoryOptions } from './clients';
export { toAwsError } from './errors';
export { ApiRateLimiter, ratesAt, systemTimer, type ApiRates, type Timer } from './rate-limited';
export { ADAPTER_IAM_ACTIONS } from './iam-actions';
export { BudgetsAdapter, IdentityCenterAdapter, OrganizationsAdapter, StackSetsAdapter, StsAdapter };

export interface AwsPortsOptions extends ClientFactoryOptions {
  /** Page cap for every paginator (default DEFAULT_MAX_PAGES). */
  maxPages?: number;
  /** Use these clients instead of building them from the options above. */
  clients?: ClientFactory;
  /** Role assumed in member accounts for their settings (default OrganizationAccountAccessRole). */
  memberRoleName?: string;
}

/** Re-assume a member role this long before its credentials expire. */
const CREDENTIALS_MARGIN_MS = 5 * 60_000;

/** The adapters behind every port, sharing one set of clients. Only entry points call this. */
export function createAwsPorts(options: AwsPortsOptions): AwsPorts {
  const clients = options.clients ?? createClientFactory(options);
  const paging = options.maxPages === undefined ? {} : { maxPages: options.maxPages };
  const sts = new StsAdapter(clients);
  const roleName = options.memberRoleName ?? 'OrganizationAccountAccessRole';
  // One session (and set of clients) per member account and activity, shared by its regions and
  // by every control that reads it; renewed shortly before the credentials expire.
  const sessions = new Map<string, { clients: Promise<ClientFactory>; expiresAt?: number }>();
  const memberClients = (accountId: string, activity?: string): Promise<ClientFactory> => {
    const sessionName = memberSessionName(activity);
    const key = `${accountId}/${sessionName}`;
    const known = sessions.get(key);
    if (known && (known.expiresAt ?? Infinity) - Date.now() > CREDENTIALS_MARGIN_MS) return known.clients;
    const entry: { clients: Promise<ClientFactory>; expiresAt?: number } = {
      clients: sts.assumeAccountRole(accountId, roleName, sessionName).then((credentials) => {
        entry.expiresAt = credentials.expiration?.getTime();
        return createClientFactory({ region: clients.region, endpoint: clients.endpoint, credentials });
      }),
    };
    entry.clients.catch(() => sessions.get(key) === entry && sessions.delete(key));
    sessions.set(key, entry);
    return entry.clients;
  };
  return {
    organizations: new OrganizationsAdapter(clients, paging),
    stackSets: new StackSetsAdapter(clients, paging),
    identityCenter: new IdentityCenterAdapter(clients, paging),
    budgets: new BudgetsAdapter(clients, paging),
    events: new EventBridgeAdapter(clients),
    costExplorer: createCostExplorerAdapter(clients, paging),
    executionRoles: new ExecutionRolesAdapter(clients),
    sts,
    orgServices: new OrgServicesAdapter(clients, (id) => memberClients(id, 'org-services'), sts, paging),
    async memberAccount(accountId, region, activity) {
      const member = await memberClients(accountId, activity);
      return createAccountSettings(accountId, region, { member, management: clients }, options.maxPages);
    },
  };
}

import type { AwsPorts } from '../domain/ports/aws';
import { BudgetsAdapter } from './budgets';
import { createClientFactory, type ClientFactory, type ClientFactoryOptions } from './clients';
import { IdentityCenterAdapter } from './identity-center';
import { OrganizationsAdapter } from './organizations';
import { StackSetsAdapter } from './stacksets';
import { StsAdapter } from './sts';

export { createClientFactory, type ClientFactory, type ClientFactoryOptions } from './clients';
export { toAwsError } from './errors';
export { ADAPTER_IAM_ACTIONS } from './iam-actions';
export { BudgetsAdapter, IdentityCenterAdapter, OrganizationsAdapter, StackSetsAdapter, StsAdapter };

export interface AwsPortsOptions extends ClientFactoryOptions {
  /** Page cap for every paginator (default DEFAULT_MAX_PAGES). */
  maxPages?: number;
  /** Use these clients instead of building them from the options above. */
  clients?: ClientFactory;
}

/** The adapters behind every port, sharing one set of clients. Only entry points call this. */
export function createAwsPorts(options: AwsPortsOptions): AwsPorts {
  const clients = options.clients ?? createClientFactory(options);
  const paging = options.maxPages === undefined ? {} : { maxPages: options.maxPages };
  return {
    organizations: new OrganizationsAdapter(clients, paging),
    stackSets: new StackSetsAdapter(clients, paging),
    identityCenter: new IdentityCenterAdapter(clients, paging),
    budgets: new BudgetsAdapter(clients, paging),
    sts: new StsAdapter(clients),
  };
}

/**
 * How many AWS calls one port call makes when its adapter walks a paginated listing (src/aws,
 * through src/aws/pagination.ts): one per page. Page sizes are each API's documented maximum
 * (the adapters ask for it, or AWS's default is it); a listing the adapter stops early (a `find…`)
 * costs the pages up to its match, a miss every page. A port method whose adapter makes several
 * requests counts each (REQUESTS). Port methods not named here make one call.
 */

/** What the model needs of AWS's state to count pages the port's answer does not show. */
export interface Listings {
  /** Every account of the organisation, by e-mail, in ListAccounts order. */
  accountEmails(): readonly string[];
  /** CreateAccount requests ListCreateAccountStatus lists (all states; AWS keeps them 90 days). */
  createAccountStatuses(): number;
}

interface PagedListing {
  /** Items a page holds. */
  pageSize: number;
  /** Items AWS lists until the adapter stops (default: every item of the answer). */
  items?(args: readonly unknown[], listings: Listings): number;
}

/** The items of a `find` that stops at the first match: up to the match, or all of them. */
function upToMatch(all: readonly string[], wanted: string): number {
  const at = all.indexOf(wanted);
  return at < 0 ? all.length : at + 1;
}

/** ListAccounts, ListCreateAccountStatus and the other Organizations listings: 20 a page. */
const ORGANIZATIONS_PAGE = 20;
/** ListStackInstances, DescribeBudgets, DescribeBudgetActions…, sso-admin listings: 100 a page. */
const LARGE_PAGE = 100;

const PAGED: Record<string, PagedListing> = {
  'organizations:findAccountByEmail': {
    pageSize: ORGANIZATIONS_PAGE,
    items: (args, listings) =>
      upToMatch(
        listings.accountEmails().map((e) => e.toLowerCase()),
        String(args[0]).toLowerCase(),
      ),
  },
  'organizations:listCreateAccountStatusesByName': {
    pageSize: ORGANIZATIONS_PAGE,
    // the adapter filters by name after listing every status
    items: (_args, listings) => listings.createAccountStatuses(),
  },
  'organizations:listAccountsForParent': { pageSize: ORGANIZATIONS_PAGE },
  'organizations:listOrganizationalUnits': { pageSize: ORGANIZATIONS_PAGE },
  'organizations:listPolicies': { pageSize: ORGANIZATIONS_PAGE },
  'organizations:listPoliciesForTarget': { pageSize: ORGANIZATIONS_PAGE },
  'organizations:listAwsServiceAccess': { pageSize: ORGANIZATIONS_PAGE },
  'orgServices:listDelegatedAdministrators': { pageSize: ORGANIZATIONS_PAGE },
  // filtered by account on AWS's side (StackInstanceAccount) when one is given
  'stackSets:listStackInstances': { pageSize: LARGE_PAGE },
  'stackSets:listStackInstancesOfOperation': { pageSize: LARGE_PAGE },
  'budgets:listBudgetSpend': { pageSize: LARGE_PAGE },
  'budgets:listBudgetActions': { pageSize: LARGE_PAGE },
  'budgets:listActionsOfBudget': { pageSize: LARGE_PAGE },
  'identityCenter:listPermissionSets': { pageSize: LARGE_PAGE },
  'identityCenter:listAccountAssignments': { pageSize: LARGE_PAGE },
  'identityCenter:listPermissionSetsProvisionedToAccount': { pageSize: LARGE_PAGE },
};

/** Port methods whose adapter makes more than one request (not pages of one listing): how many. */
const REQUESTS: Record<string, (answer: unknown) => number> = {
  // DescribeBudget, then for a budget that exists one page of DescribeNotificationsForBudget (≤ 10)
  'budgets:findBudget': (answer) => (answer === undefined ? 1 : 2),
};

/** The pages (AWS calls) a port call `service:method` with these arguments and this answer made. */
export function pagesOf(name: string, args: readonly unknown[], answer: unknown, listings: Listings): number {
  const requests = REQUESTS[name];
  if (requests) return requests(answer);
  const listing = PAGED[name];
  if (!listing) return 1;
  const items = listing.items ? listing.items(args, listings) : Array.isArray(answer) ? answer.length : 0;
  return Math.max(1, Math.ceil(items / listing.pageSize));
}

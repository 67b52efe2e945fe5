import type { DefaultVpcRemoval, IamInventory } from '../../../src/domain/ports/account-settings';

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
  'identityCenter:listAccountAssignments': { pageSize: LARGE_PAGE },
  'identityCenter:listPermissionSetsProvisionedToAccount': { pageSize: LARGE_PAGE },
};

/**
 * A default VPC's removal beyond its subnets and gateway (groups, tables, ACLs of its own): when
 * there were any, the adapter listed all three, deleted each and called DeleteVpc a second time.
 */
function dependencyRequests(r: DefaultVpcRemoval): number {
  const extra = r.securityGroups + r.routeTables + r.networkAcls;
  return extra > 0 ? 4 + extra : 0;
}

/** A listing's pages at the page size its adapter asks for. */
const pagesFor = (items: number, pageSize: number) => Math.max(1, Math.ceil(items / pageSize));

/**
 * Port methods whose adapter makes more than one request (not only pages of one listing): how
 * many, from the call's arguments and answer. The adapters' doc comments name the requests
 * (src/aws); test/integration/request-counts.test.ts holds each count here to what the adapter
 * sends against moto.
 */
const REQUESTS: Record<string, (answer: unknown) => number> = {
  // DescribeBudget, then for a budget that exists one page of DescribeNotificationsForBudget (≤ 10)
  'budgets:findBudget': (answer) => (answer === undefined ? 1 : 2),
  // ListPermissionSets (100 a page), then DescribePermissionSet for each set, for its name
  'identityCenter:listPermissionSets': (answer) =>
    pagesFor(Array.isArray(answer) ? answer.length : 0, LARGE_PAGE) +
    (Array.isArray(answer) ? answer.length : 0),
  // ListDetectors, then GetDetector for each detector (its status)
  'member:listThreatDetectors': (answer) => 1 + (Array.isArray(answer) ? answer.length : 0),
  // DescribeRule, then for a rule that exists ListTargetsByRule
  'member:getEventRule': (answer) => (answer === undefined ? 1 : 2),
  // GetAccountAuthorizationDetails: users and customer managed policies, 1,000 items a page
  'member:getIamInventory': (answer) => {
    const { userNames, localPolicies } = answer as IamInventory;
    return pagesFor(userNames.length + localPolicies.length, 1000);
  },
  // DescribeTrails, then for a trail that exists GetTrailStatus
  'orgServices:findTrail': (answer) => (answer === undefined ? 1 : 2),
  // HeadBucket, then for a bucket that exists its policy, public access block and encryption
  'orgServices:findLogBucket': (answer) => (answer === undefined ? 1 : 4),
  // DescribeNetworkInterfaces, DescribeInternetGateways, DetachInternetGateway and
  // DeleteInternetGateway each, DescribeSubnets, DeleteSubnet each, DeleteVpc; a VPC that still
  // held other groups, tables or ACLs: their three listings, a deletion each, DeleteVpc again
  'member:deleteDefaultVpc': (answer) => {
    const r = answer as DefaultVpcRemoval;
    return 4 + 2 * r.internetGateways + r.subnets + dependencyRequests(r);
  },
};

/**
 * Port methods whose adapter sends some of its requests side by side: how many round trips, one
 * after the other, its requests take (the others overlap them). Every other method's requests
 * go one after the other.
 */
const ROUND_TRIPS: Record<string, (answer: unknown) => number> = {
  // the three listings together; each gateway's detach then delete beside the subnets' deletions;
  // DeleteVpc; a VPC that still held other groups, tables or ACLs: those, one after the other
  'member:deleteDefaultVpc': (answer) => {
    const r = answer as DefaultVpcRemoval;
    const deletions = r.internetGateways > 0 ? 2 : r.subnets > 0 ? 1 : 0;
    return 1 + deletions + 1 + dependencyRequests(r);
  },
};

/** Of a port call's `requests`, how many go one after the other (the rest overlap them). */
export function roundTripsOf(name: string, answer: unknown, requests: number): number {
  const trips = ROUND_TRIPS[name];
  return trips ? Math.min(requests, trips(answer)) : requests;
}

/** The pages (AWS calls) a port call `service:method` with these arguments and this answer made. */
export function pagesOf(name: string, args: readonly unknown[], answer: unknown, listings: Listings): number {
  const requests = REQUESTS[name];
  if (requests) return requests(answer);
  const listing = PAGED[name];
  if (!listing) return 1;
  const items = listing.items ? listing.items(args, listings) : Array.isArray(answer) ? answer.length : 0;
  return pagesFor(items, listing.pageSize);
}

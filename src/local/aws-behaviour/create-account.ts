import { awsError, jsonResponse, type AwsCall } from './protocol';
import { oneAtATime, passThrough, type Behaviour, type BehaviourContext, type Handled } from './upstream';

interface TrackedCreate {
  requestId: string;
  email: string;
  accountName: string;
  accountId?: string;
  requestedAt: number;
  /** Set for a request AWS refuses (the email is taken or being created): it ends FAILED. */
  failureReason?: 'EMAIL_ALREADY_EXISTS' | 'CONCURRENT_ACCOUNT_MODIFICATION';
}

type Json = Record<string, unknown>;
const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const seconds = (ms: number) => ms / 1000;

/**
 * Organizations CreateAccount as AWS runs it: IN_PROGRESS for `durationMs` (the account hidden
 * from ListAccounts and DescribeAccount meanwhile), at most `maxInProgress` at once, and a second
 * request for an email in use ends FAILED (CONCURRENT_ACCOUNT_MODIFICATION while the first runs,
 * EMAIL_ALREADY_EXISTS after) without a second account.
 */
export function createAccountBehaviour(ctx: BehaviourContext): Behaviour {
  const creates = new Map<string, TrackedCreate>();
  const cfg = ctx.profile.createAccount;
  let counter = 0;

  const inProgress = (t: TrackedCreate) => !t.failureReason && ctx.now() - t.requestedAt < cfg.durationMs;
  const hidden = () => new Set([...creates.values()].filter(inProgress).map((t) => t.accountId ?? ''));

  function statusOf(t: TrackedCreate, moto?: Json): Json {
    const base: Json = {
      Id: t.requestId,
      AccountName: t.accountName,
      RequestedTimestamp: seconds(t.requestedAt),
    };
    if (t.failureReason) return { ...base, State: 'FAILED', FailureReason: t.failureReason };
    if (inProgress(t)) return { ...base, State: 'IN_PROGRESS' };
    return {
      ...(moto ?? base),
      State: 'SUCCEEDED',
      AccountId: t.accountId,
      CompletedTimestamp: seconds(t.requestedAt + cfg.durationMs),
    };
  }

  /** Every account moto holds with this email (ListAccounts, all pages). */
  async function emailTaken(call: AwsCall, email: string): Promise<boolean> {
    let token: string | undefined;
    do {
      const res = await ctx.upstream.send(
        {
          ...call.raw,
          headers: { ...call.raw.headers, 'x-amz-target': 'AWSOrganizationsV20161128.ListAccounts' },
        },
        Buffer.from(JSON.stringify(token ? { NextToken: token } : {})),
      );
      if (res.status >= 400) return false;
      const page = JSON.parse(res.body) as { Accounts?: Json[]; NextToken?: string };
      if ((page.Accounts ?? []).some((a) => str(a.Email).toLowerCase() === email)) return true;
      token = page.NextToken;
    } while (token);
    return false;
  }

  function refuse(t: Omit<TrackedCreate, 'requestId'>): Handled {
    const requestId = `car-avfbehaviour${String(++counter).padStart(8, '0')}`;
    const tracked = { ...t, requestId };
    creates.set(requestId, tracked);
    // AWS answers IN_PROGRESS and fails the request shortly after; the caller learns by polling.
    return {
      response: jsonResponse({ CreateAccountStatus: { ...statusOf(tracked), State: 'IN_PROGRESS' } }),
      outcome: 'rejected',
      code: t.failureReason,
      detail: { email: t.email, requestId },
    };
  }

  async function createAccount(call: AwsCall): Promise<Handled> {
    const email = str(call.json.Email).toLowerCase();
    const accountName = str(call.json.AccountName);
    const base = { email, accountName, requestedAt: ctx.now() };
    const same = [...creates.values()].filter((t) => t.email === email && !t.failureReason);
    if (same.some(inProgress)) return refuse({ ...base, failureReason: 'CONCURRENT_ACCOUNT_MODIFICATION' });
    if (same.length > 0 || (await emailTaken(call, email)))
      return refuse({ ...base, failureReason: 'EMAIL_ALREADY_EXISTS' });
    const running = [...creates.values()].filter(inProgress).length;
    if (running >= cfg.maxInProgress) {
      const message = `${running} CreateAccount requests are in progress; the organisation allows ${cfg.maxInProgress} at a time`;
      return {
        response: awsError(call, 400, 'TooManyRequestsException', message),
        outcome: 'rejected',
        code: 'TooManyRequestsException',
        detail: { email },
      };
    }
    const handled = await passThrough(ctx, call);
    if (handled.response.status >= 400) return handled;
    const moto =
      (JSON.parse(handled.response.body) as { CreateAccountStatus?: Json }).CreateAccountStatus ?? {};
    const tracked: TrackedCreate = { ...base, requestId: str(moto.Id), accountId: str(moto.AccountId) };
    creates.set(tracked.requestId, tracked);
    return {
      ...handled,
      response: jsonResponse({ CreateAccountStatus: statusOf(tracked) }),
      detail: { email, requestId: tracked.requestId, accountId: tracked.accountId ?? '' },
    };
  }

  async function describeStatus(call: AwsCall): Promise<Handled> {
    const tracked = creates.get(str(call.json.CreateAccountRequestId));
    if (!tracked || (!tracked.failureReason && !inProgress(tracked))) return passThrough(ctx, call);
    return { response: jsonResponse({ CreateAccountStatus: statusOf(tracked) }), outcome: 'executed' };
  }

  async function listStatuses(call: AwsCall): Promise<Handled> {
    const { States, ...rest } = call.json;
    const handled = await passThrough(ctx, call, Buffer.from(JSON.stringify(rest)));
    if (handled.response.status >= 400) return handled;
    const page = JSON.parse(handled.response.body) as { CreateAccountStatuses?: Json[]; NextToken?: string };
    const statuses = (page.CreateAccountStatuses ?? []).map((s) => {
      const tracked = creates.get(str(s.Id));
      return tracked ? statusOf(tracked, s) : s;
    });
    if (!call.json.NextToken)
      statuses.push(...[...creates.values()].filter((t) => t.failureReason).map((t) => statusOf(t)));
    const wanted = Array.isArray(States) ? States.map(str) : undefined;
    const filtered = wanted ? statuses.filter((s) => wanted.includes(str(s.State))) : statuses;
    return { ...handled, response: jsonResponse({ ...page, CreateAccountStatuses: filtered }) };
  }

  /** ListAccounts / ListAccountsForParent without the accounts still being created. */
  async function listAccounts(call: AwsCall): Promise<Handled> {
    const handled = await passThrough(ctx, call);
    if (handled.response.status >= 400) return handled;
    const page = JSON.parse(handled.response.body) as { Accounts?: Json[] };
    const hide = hidden();
    const Accounts = (page.Accounts ?? []).filter((a) => !hide.has(str(a.Id)));
    return { ...handled, response: jsonResponse({ ...page, Accounts }) };
  }

  async function describeAccount(call: AwsCall): Promise<Handled> {
    if (!hidden().has(str(call.json.AccountId))) return passThrough(ctx, call);
    const message = "You specified an account that doesn't exist.";
    return { response: awsError(call, 400, 'AccountNotFoundException', message), outcome: 'executed' };
  }

  return {
    handlers: {
      // One at a time: the email and in-progress checks hold only until the create is recorded.
      'organizations:CreateAccount': oneAtATime(createAccount),
      'organizations:DescribeCreateAccountStatus': describeStatus,
      'organizations:ListCreateAccountStatus': listStatuses,
      'organizations:ListAccounts': listAccounts,
      'organizations:ListAccountsForParent': listAccounts,
      'organizations:DescribeAccount': describeAccount,
    },
  };
}

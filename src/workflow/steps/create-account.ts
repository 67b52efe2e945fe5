import { normaliseEmail, type RequestRecord } from '../../domain/account-request';
import type { CreateAccountStatus } from '../../domain/ports/aws';
import { expectedMs } from '../backoff';
import { takeCreateAccountSlot } from '../coordination/create-account-slots';
import { done, fail, wait, type Step, type StepContext, type Outcome } from '../step';

/**
 * How long a queued request waits before it looks again. A released slot wakes the requests first
 * in line at once, so this is only the safety net for a lost wake (and for a holder that died
 * without giving its slot back): for those next in line (the first round of slots) a quarter of a
 * CreateAccount, else about when its turn would come — one CreateAccount duration per round of
 * slots ahead of it. No shorter cap: each look reads the queue up to the request's place and
 * rewrites the request, and the first round would otherwise look every few seconds for a minute.
 */
function queuedRecheckMs(position: number, slots: number): number {
  const roundsAhead = Math.ceil(position / Math.max(1, slots)) - 1;
  return Math.max(expectedMs('create-account') / 4, roundsAhead * expectedMs('create-account'));
}

/**
 * CreateAccount has no idempotency token, so the step is exactly-once by construction:
 * 1. the intent is persisted before the call;
 * 2. with an intent but no request id (a crash, or an error whose outcome is unknown), the account
 *    is looked up — by email in ListAccounts, by name in ListCreateAccountStatus — before any new
 *    CreateAccount;
 * 3. the request id is persisted as soon as AWS returns it, and then only polled.
 */
export const createAccount: Step = async (ctx) => {
  const { record } = ctx;
  const h = record.handles;
  if (h.createAccountRequestId) return check(ctx, h.createAccountRequestId);

  if (h.createAccountIntentAt) {
    const found = await lookUp(ctx);
    if (found) return found;
    h.createAccountIntentAt = ctx.now.toISOString();
    await ctx.checkpoint();
  } else {
    const full = await takeSlot(ctx);
    if (full) return full;
  }
  const status = await ctx.deps.aws.organizations.startCreateAccount({
    email: record.spec.email,
    accountName: record.spec.accountName,
    roleName: ctx.deps.config.config.organization.accessRoleName,
    tags: accountTags(record),
  });
  h.createAccountRequestId = status.requestId;
  // Its first check comes when a CreateAccount usually finishes, whatever waits came before (a
  // throttled call, a lookup): the operation's polls count from its start.
  record.attempts = 0;
  await ctx.checkpoint();
  return interpret(ctx, status);
};

/**
 * Persists the intent once one of the organisation's CreateAccount slots is this request's; until
 * then the request waits in the fair queue, its place shown on the record.
 */
async function takeSlot(ctx: StepContext): Promise<Outcome | undefined> {
  const answer = await takeCreateAccountSlot(ctx.deps, ctx.record);
  if (!answer.granted) {
    ctx.record.queue = answer.queue;
    const { position, of, slotsInUse, slots } = answer.queue;
    return wait(
      `queued for a CreateAccount slot: ${position} of ${of} waiting (${slotsInUse} of ${slots} slots in use)`,
      queuedRecheckMs(position, slots),
    );
  }
  delete ctx.record.queue;
  ctx.record.handles.createAccountIntentAt = ctx.now.toISOString();
  // The queued waits were not checks of the operation: its polls count from the start.
  ctx.record.attempts = 0;
  await ctx.checkpoint();
  return undefined;
}

async function check(ctx: StepContext, requestId: string): Promise<Outcome> {
  return interpret(ctx, await ctx.deps.aws.organizations.getCreateAccountStatus(requestId));
}

/** After an intent with no request id: adopt what AWS already has, or report nothing found. */
async function lookUp(ctx: StepContext): Promise<Outcome | undefined> {
  const { record } = ctx;
  const orgs = ctx.deps.aws.organizations;
  const account = await orgs.findAccountByEmail(record.spec.email);
  if (account) {
    record.accountId = account.id;
    return done(`adopted account ${account.id} created by an earlier attempt`);
  }
  const statuses = await orgs.listCreateAccountStatusesByName(record.spec.accountName);
  // ListAccounts can lag behind a finished create: adopt a SUCCEEDED one whose account has our email.
  for (const status of statuses.filter((s) => s.state === 'SUCCEEDED' && s.accountId)) {
    const candidate = await orgs.describeAccount(status.accountId!);
    if (normaliseEmail(candidate.email) === normaliseEmail(record.spec.email)) {
      record.accountId = candidate.id;
      return done(
        `adopted account ${candidate.id} created by an earlier attempt (request ${status.requestId})`,
      );
    }
  }
  const inFlight = statuses.find((s) => s.state === 'IN_PROGRESS');
  if (inFlight) {
    record.handles.createAccountRequestId = inFlight.requestId;
    await ctx.checkpoint();
    return wait(`resumed CreateAccount request ${inFlight.requestId}`);
  }
  return undefined;
}

async function interpret(ctx: StepContext, status: CreateAccountStatus): Promise<Outcome> {
  const { record } = ctx;
  switch (status.state) {
    case 'IN_PROGRESS':
      return wait(`CreateAccount ${status.requestId} in progress`);
    case 'SUCCEEDED':
      if (!status.accountId)
        return wait(`CreateAccount ${status.requestId} succeeded; waiting for the account id`);
      record.accountId = status.accountId;
      record.handles.createdByThisRequest = true;
      return done(`account ${status.accountId} created (request ${status.requestId})`);
    case 'FAILED':
      return onFailure(ctx, status);
  }
}

async function onFailure(ctx: StepContext, status: CreateAccountStatus): Promise<Outcome> {
  const { record } = ctx;
  const h = record.handles;
  const reason = status.failureReason ?? 'UNKNOWN';
  switch (reason) {
    case 'EMAIL_ALREADY_EXISTS': {
      // Probably ours (an earlier attempt that we lost track of): adopt it if name and email match.
      const account = await ctx.deps.aws.organizations.findAccountByEmail(record.spec.email);
      if (account && account.name === record.spec.accountName) {
        record.accountId = account.id;
        return done(`adopted account ${account.id} that already had this email and name`);
      }
      return fail(
        'EMAIL_ALREADY_EXISTS',
        account
          ? `${record.spec.email} already belongs to account ${account.id} (${account.name}) in this organisation; use another email or import that account`
          : `${record.spec.email} is already used by an AWS account outside this organisation; every AWS account needs a globally unique email — use another one`,
      );
    }
    case 'CONCURRENT_ACCOUNT_MODIFICATION':
      // Ours may still be in flight: forget this request id and look it up again on the next check.
      delete h.createAccountRequestId;
      return wait('AWS reports a concurrent create for this account; looking it up again');
    case 'INTERNAL_FAILURE':
      delete h.createAccountRequestId;
      delete h.createAccountIntentAt;
      return wait('AWS reported INTERNAL_FAILURE; CreateAccount will be tried again');
    default:
      return fail(`CREATE_ACCOUNT_${reason}`, failureMessage(reason));
  }
}

const FAILURE_MESSAGES: Record<string, string> = {
  ACCOUNT_LIMIT_EXCEEDED:
    'the organisation has reached its account quota; ask AWS Support to raise "Accounts per organization", then retry',
  INVALID_ADDRESS:
    'AWS rejected the account address; fix the management account contact information, then retry',
  INVALID_EMAIL: 'AWS rejected the email address; submit a new request with a valid email',
  MISSING_PAYMENT_INSTRUMENT: 'the management account has no valid payment instrument; add one, then retry',
  INVALID_PAYMENT_INSTRUMENT: 'the management account payment instrument is invalid; fix it, then retry',
  MISSING_BUSINESS_VALIDATION:
    'the management account has not completed business validation; complete it, then retry',
  FAILED_BUSINESS_VALIDATION:
    'the management account failed business validation; contact AWS Support, then retry',
  PENDING_BUSINESS_VALIDATION:
    'business validation of the management account is pending; retry when it completes',
};

function failureMessage(reason: string): string {
  return `CreateAccount failed with ${reason}: ${FAILURE_MESSAGES[reason] ?? 'see the AWS Organizations console; retry once the cause is fixed'}`;
}

/** Tags every vended account carries (G-9): cost centre, owner, team, request, plus the request's own. */
export function accountTags(record: Pick<RequestRecord, 'id' | 'spec'>): Record<string, string> {
  return {
    ...record.spec.tags,
    CostCenter: record.spec.costCenter,
    Owner: normaliseEmail(record.spec.owner.email),
    Team: record.spec.owner.team,
    'avf:request-id': record.id,
  };
}

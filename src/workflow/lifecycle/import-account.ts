import { z } from 'zod';
import { AccountRequestBodySchema, initialSteps, type RequestRecord } from '../../domain/account-request';
import { AwsError, ConflictError, ValidationError, type Problem } from '../../domain/errors';
import type { OrgAccount } from '../../domain/ports/aws';
import { requireRole, type Principal } from '../../domain/principal';
import { newRecord, specOf } from '../intake/submit-request';
import type { LifecycleDeps } from './deps';
import { createRequest } from '../request-writes';
import { parseInput, specProblems } from './spec-rules';

/** The request body without the name and email (the account has them) and with the account's id. */
export const ImportBodySchema = AccountRequestBodySchema.omit({ accountName: true, email: true })
  .extend({ accountId: z.string().regex(/^\d{12}$/, 'an AWS account id: 12 digits') })
  .strict();

/** The account in the organisation, or a problem saying why it cannot be imported. */
async function memberAccount(
  deps: LifecycleDeps,
  accountId: string,
): Promise<{ account?: OrgAccount; problem?: Problem }> {
  const problem = (message: string) => ({ problem: { path: 'accountId', message } });
  let account: OrgAccount;
  try {
    account = await deps.aws.organizations.describeAccount(accountId);
  } catch (e) {
    if (e instanceof AwsError && e.awsCode === 'AccountNotFoundException') {
      return problem(`account ${accountId} is not in the organisation`);
    }
    throw e;
  }
  const { organization } = deps.config.config;
  if (accountId === (await deps.directory.payerAccountId())) {
    return problem(`${accountId} is the management account; it cannot be managed as a member`);
  }
  const foundation = [organization.logArchive.email, organization.security.email].map((e) => e.toLowerCase());
  if (foundation.includes(account.email.toLowerCase())) {
    return problem(`${accountId} is a foundation account (log archive or security); bootstrap manages it`);
  }
  if (account.status !== 'ACTIVE') return problem(`account ${accountId} is ${account.status}, not ACTIVE`);
  return { account };
}

/**
 * Brings an existing member account under the factory: a request record that starts after
 * create-account (at place-account), so the account is quarantined, tagged and moved to its OU,
 * then hardened, baselined, granted access, budgeted and verified exactly as a vended one, and
 * released from quarantine once clean. The account's access role must exist (accounts that
 * joined by invitation need it created first). Platform only.
 *
 * @throws ValidationError (400: also for an account not in the organisation); ForbiddenError
 *   (403); ConflictError `ACCOUNT_ALREADY_MANAGED` or `EMAIL_IN_USE` (409)
 */
export async function importAccount(
  deps: LifecycleDeps,
  principal: Principal,
  input: unknown,
): Promise<RequestRecord> {
  requireRole(principal, ['platform'], 'import accounts');
  const body = parseInput(ImportBodySchema, input);
  const config = deps.config.config;

  const managed = await deps.store.findByAccountId(body.accountId);
  if (managed) {
    throw new ConflictError(
      'ACCOUNT_ALREADY_MANAGED',
      `account ${body.accountId} is already managed by the factory (request ${managed.id})`,
    );
  }
  const { account, problem } = await memberAccount(deps, body.accountId);
  const shape = { ...body, accountName: account?.name ?? '', email: account?.email ?? '' };
  const spec = specOf(shape, config);
  // The account's name and email are AWS's: the naming rules are for new accounts only.
  const problems = specProblems(spec, config, ['organizationalUnit', 'owner', 'budget', 'access', 'tags']);
  if (problem) problems.unshift(problem);
  if (problems.length > 0) throw new ValidationError(problems);

  const now = deps.clock.now().toISOString();
  const steps = initialSteps().map((s) =>
    s.name === 'create-account'
      ? {
          ...s,
          status: 'SUCCEEDED' as const,
          startedAt: now,
          finishedAt: now,
          detail: `imported existing account ${body.accountId}`,
        }
      : s,
  );
  // A request like a new one, but started at place-account (platform only: never awaiting approval).
  const record: RequestRecord = {
    ...newRecord(shape, config, principal, now),
    status: 'QUEUED',
    phase: 'place-account',
    accountId: body.accountId,
    steps,
    lifecycle: { state: 'ACTIVE', importedAt: now },
  };
  return createRequest(deps, record, () => deps.store.create(record));
}

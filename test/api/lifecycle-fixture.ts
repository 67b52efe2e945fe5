import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { buildApp } from '../../api/app';
import { createToken } from '../../api/auth';
import type { LoadedConfig } from '../../src/config/load';
import type { RequestRecord } from '../../src/domain/account-request';
import type { LifecycleDeps } from '../../src/workflow/lifecycle';
import { harness, submit, type Harness } from '../unit/workflow/harness';
import { ADMIN_TOKEN, bearer } from './fixture';
import { INSTANCE, MANAGEMENT_ACCOUNT_ID } from '../support/fake-aws';

/** The API over a harness (in-memory AWS bootstrapped with the example organisation, a worker). */
export interface LifecycleFixture {
  h: Harness;
  app: FastifyInstance;
  deps: LifecycleDeps;
  tokens: { payments: string; otherTeam: string; platform: string; auditor: string; finance: string };
  /** Vends an account of team payments through the worker to READY; returns the record. */
  vend(overrides?: Parameters<typeof submit>[1]): Promise<RequestRecord & { accountId: string }>;
  send(
    method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
    url: string,
    token: string,
    body?: object,
  ): Promise<LightMyRequestResponse>;
  /** Ticks the worker (a minute apart) `n` times. */
  ticks(n: number): Promise<void>;
  /** POST …/verify, then ticks until the worker has run it; returns the verification and the account's compliance. */
  verify(
    accountId: string,
  ): Promise<{ verification: LightMyRequestResponse; compliance: LightMyRequestResponse }>;
}

export async function lifecycleFixture(
  config?: (c: LoadedConfig) => LoadedConfig,
): Promise<LifecycleFixture> {
  const h = await harness();
  // the API and the worker (which runs verifications, changes, moves) read the same config
  if (config) h.deps.config = config(h.deps.config);
  const deps: LifecycleDeps = { ...h.deps, sleep: () => Promise.resolve() };
  const app = buildApp({
    store: h.store,
    config: deps.config,
    clock: h.clock,
    adminToken: ADMIN_TOKEN,
    lifecycle: deps,
  });
  const tokens = {
    payments: await createToken(h.store, { role: 'requester', team: 'payments' }),
    otherTeam: await createToken(h.store, { role: 'requester', team: 'search' }),
    platform: await createToken(h.store, { role: 'platform', name: 'platform-engineer' }),
    auditor: await createToken(h.store, { role: 'auditor' }),
    finance: await createToken(h.store, { role: 'finance' }),
  };
  const fixture: LifecycleFixture = {
    h,
    app,
    deps,
    tokens,
    async vend(overrides = {}) {
      const record = await submit(h, overrides);
      const done = await h.runToEnd(record.id);
      if (done.status !== 'READY' || !done.accountId)
        throw new Error(`vend failed: ${JSON.stringify(done.error)}`);
      return { ...done, accountId: done.accountId };
    },
    send(method, url, token, body) {
      return app.inject({
        method,
        url,
        headers: bearer(token),
        ...(body === undefined ? {} : { payload: body }),
      });
    },
    async ticks(n) {
      for (let i = 0; i < n; i++) {
        await h.worker.tick();
        h.clock.advance(60_000);
      }
    },
    async verify(accountId) {
      const started = await fixture.send('POST', `/v1/accounts/${accountId}/verify`, tokens.platform);
      if (started.statusCode !== 202) throw new Error(`verify: ${started.statusCode} ${started.body}`);
      const url = String(started.headers.location);
      let verification = started;
      for (
        let i = 0;
        i < 5 && ['QUEUED', 'IN_PROGRESS'].includes(verification.json<{ status: string }>().status);
        i++
      ) {
        await fixture.ticks(1);
        verification = await fixture.send('GET', url, tokens.platform);
      }
      const compliance = await fixture.send('GET', `/v1/accounts/${accountId}/compliance`, tokens.platform);
      return { verification, compliance };
    },
  };
  return fixture;
}

/** The OU path the account sits in, as the in-memory organisation has it. */
export function parentPath(f: LifecycleFixture, accountId: string): string | undefined {
  const parent = f.h.aws.organizations.accounts.get(accountId)?.parentId;
  const ou = parent === undefined ? undefined : f.h.aws.organizations.ous.get(parent);
  const grand = ou ? f.h.aws.organizations.ous.get(ou.parentId) : undefined;
  return ou && (grand ? `${grand.name}/${ou.name}` : ou.name);
}

/** The account's budget, as the in-memory AWS Budgets holds it. */
export const budgetOf = (f: LifecycleFixture, accountId: string) =>
  f.h.aws.budgets.budgets.get(`${MANAGEMENT_ACCOUNT_ID}/avf-${accountId}`);

/** The principals (groups) assigned `permissionSet` on the account. */
export async function groupsWith(
  f: LifecycleFixture,
  accountId: string,
  permissionSet: string,
): Promise<string[]> {
  const arn = await f.h.deps.directory.permissionSetArn(permissionSet);
  const listed = await f.h.aws.identityCenter.listAccountAssignments(INSTANCE.instanceArn, accountId, arn);
  return listed.map((a) => a.principalId);
}

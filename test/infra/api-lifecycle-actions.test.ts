import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { buildApp } from '../../api/app';
import { WORKER_LIFECYCLE_WRITES, apiActions } from '../../src/infra/factory-policy';
import { CONTROLS } from '../../src/verify/controls';
import { Verifier } from '../../src/verify/verifier';
import type { LifecycleDeps } from '../../src/workflow/lifecycle';
import { OrgDirectory } from '../../src/domain/org-directory';
import { ADMIN_TOKEN, bearer } from '../api/fixture';
import { lifecycleFixture } from '../api/lifecycle-fixture';

const AWS_DIR = join(__dirname, '../../src/aws');

/** Adapter method name → the IAM actions its doc comment names, over every adapter file. */
function documentedActions(): Map<string, string[]> {
  const files = ['', 'account-settings', 'org-services'].flatMap((dir) =>
    readdirSync(join(AWS_DIR, dir))
      .filter((f) => f.endsWith('.ts'))
      .map((f) => join(AWS_DIR, dir, f)),
  );
  const byMethod = new Map<string, string[]>();
  for (const file of files) {
    const source = readFileSync(file, 'utf8');
    for (const [, doc = '', method = ''] of source.matchAll(
      /\/\*\*([\s\S]*?)\*\/\s*(?:async\s+)?(\w+)\s*\(/g,
    )) {
      const actions = doc.match(/\b[a-z0-9-]+:[A-Z][A-Za-z]+\b/g) ?? [];
      if (actions.length > 0) byMethod.set(method, [...(byMethod.get(method) ?? []), ...actions]);
    }
  }
  return byMethod;
}

/** Methods of the member-account port: they would run under an assumed member role. */
const MEMBER_FILES = readdirSync(join(AWS_DIR, 'account-settings')).map((f) =>
  readFileSync(join(AWS_DIR, 'account-settings', f), 'utf8'),
);
const inMemberAccount = (method: string) => MEMBER_FILES.some((s) => new RegExp(`\\b${method}\\(`).test(s));

/**
 * The API function's role covers what its lifecycle routes call: every route runs over the
 * in-memory AWS from a cold start (no cached ids), the port methods it called are mapped to the
 * IAM actions their adapters' docs name, and each must be granted. No route reaches into a member
 * account or writes AWS: verify now, like PATCH and move, only stores the worker's job.
 */
test('the API role holds every IAM action its lifecycle routes call, and they call no write', async () => {
  const f = await lifecycleFixture();
  const { accountId } = await f.vend();
  const legacy = f.h.aws.organizations.addAccount({ name: 'legacy-app', email: 'legacy@example.com' });
  // drift for verify now to re-apply: the password policy and alternate contacts
  const member = f.h.aws.memberAccounts.account(accountId);
  member.passwordPolicy = undefined;
  member.contacts.clear();

  const directory = new OrgDirectory(f.h.aws);
  const cold: LifecycleDeps = {
    ...f.deps,
    directory,
    verifier: new Verifier(CONTROLS, { aws: f.h.aws, config: f.deps.config, directory }, false),
  };
  const app = buildApp({
    store: f.h.store,
    config: cold.config,
    clock: f.h.clock,
    adminToken: ADMIN_TOKEN,
    lifecycle: cold,
  });
  for (const method of Object.keys(f.h.aws.calls)) delete f.h.aws.calls[method];
  let verification = '';
  const send = async (method: 'POST' | 'PATCH', url: string, payload?: object) => {
    const res = await app.inject({
      method,
      url,
      headers: bearer(ADMIN_TOKEN),
      ...(payload ? { payload } : {}),
    });
    expect(`${method} ${url}: ${res.statusCode < 300 ? 'ok' : res.body}`).toBe(`${method} ${url}: ok`);
    if (url.endsWith('/verify')) verification = String(res.headers.location);
  };
  await send('POST', `/v1/accounts/${accountId}/verify`);
  await send('PATCH', `/v1/accounts/${accountId}`, {
    owner: { team: 'payments', email: 'new-lead@example.com' },
    tags: { environment: 'prod' },
    budget: { monthlyLimitUsd: 900, thresholdsPercent: [50] },
    access: [{ group: 'payments-developers', permissionSet: 'ReadOnly' }],
  });
  await send('POST', `/v1/accounts/${accountId}/move`, { organizationalUnit: 'Sandbox' });
  await send('POST', `/v1/accounts/${accountId}/close`, { graceDays: 3 });
  await send('POST', `/v1/accounts/${accountId}/close/cancel`);
  await send('POST', '/v1/accounts/import', {
    accountId: legacy,
    organizationalUnit: 'Workloads/NonProd',
    owner: { team: 'payments', email: 'payments-lead@example.com' },
    costCenter: 'CC-7',
    tags: { environment: 'prod' },
  });
  await app.close();
  const docs = documentedActions();
  const called = Object.keys(f.h.aws.calls).filter((m) => m !== 'memberAccount');
  const needed = called.flatMap((method) => {
    const actions = docs.get(method) ?? [];
    return inMemberAccount(method) ? actions.filter((a) => a.startsWith('account:')) : actions;
  });
  // verify now, PATCH and move only stored their jobs: the member account, the move, assignments,
  // budget, tags and alternate contacts are the worker's
  for (const action of WORKER_LIFECYCLE_WRITES) expect(needed).not.toContain(action);
  expect(Object.keys(f.h.aws.calls)).not.toContain('memberAccount');
  expect(Object.keys(f.h.aws.calls)).not.toContain('putAlternateContact');
  expect(f.h.aws.mutatingCalls()).toBe(0);
  expect([...new Set(needed)].filter((a) => !apiActions().includes(a))).toEqual([]);
  // port methods without an adapter doc of their own (org services delegate): reads only
  const undocumented = called.filter((m) => !docs.has(m) && !inMemberAccount(m));
  expect(undocumented.filter((m) => !/^(get|list|find|describe)/.test(m))).toEqual([]);
  // the worker ran the verification, and re-applied what drifted
  await f.ticks(2);
  const done = await f.send('GET', verification, f.tokens.platform);
  expect(done.json()).toMatchObject({ status: 'SUCCEEDED' });
  expect(done.json().summary.remediated).toEqual(expect.arrayContaining(['password-policy@account']));
  expect(member.passwordPolicy).toBeDefined();
  expect(member.contacts.size).toBeGreaterThan(0);
});

import { applyBootstrap, planBootstrap } from '../../../src/bootstrap';
import type { LoadedConfig } from '../../../src/config/load';
import { ValidationError } from '../../../src/domain/errors';
import { FakeAws, FULL_AWS_ACCESS_ID, INSTANCE } from '../../support/fake-aws';
import { example, variant } from './config-fixture';

/** The example config with deny-leave-organization read from another file. */
const withDenyLeaveDocument = (file: string, text: string): LoadedConfig =>
  variant(
    (c) => {
      c.policies['deny-leave-organization'] = { ...c.policies['deny-leave-organization'], file };
    },
    { [file]: text },
  );

const noWait = { sleep: (): Promise<void> => Promise.resolve() };

describe('applyBootstrap against an in-memory AWS', () => {
  it('creates the whole foundation on the first run', async () => {
    const aws = new FakeAws();
    const result = await applyBootstrap(example(), aws, { ...noWait, createGroups: true });
    const org = aws.organizations;

    expect(result.applied).toBe(result.actions.length);
    expect(org.enabledPolicyTypes).toEqual(['SERVICE_CONTROL_POLICY', 'AISERVICES_OPT_OUT_POLICY']);
    expect([...org.serviceAccess].sort()).toEqual([
      'access-analyzer.amazonaws.com',
      'cloudtrail.amazonaws.com',
      'config.amazonaws.com',
      'guardduty.amazonaws.com',
      'member.org.stacksets.cloudformation.amazonaws.com',
      'securityhub.amazonaws.com',
      'sso.amazonaws.com',
    ]);
    for (const path of [
      'Security',
      'Infrastructure',
      'Workloads',
      'Workloads/Prod',
      'Workloads/NonProd',
      'Sandbox',
      'Suspended',
    ]) {
      expect(org.ouIdByPath(path)).toBeDefined();
    }
    const policies = [...org.policies.values()].map((p) => p.name).sort();
    expect(policies).toEqual([
      'FullAWSAccess',
      'ai-services-opt-out',
      'baseline-guardrails',
      'deny-leave-organization',
      'identity-guardrails',
      'private-network',
      'quarantine',
      'region-restriction',
      'sandbox-guardrails',
      'spending-freeze',
    ]);
    const denyLeave = [...org.policies.values()].find((p) => p.name === 'deny-leave-organization');
    const attachedTo = [...(org.attachments.get(denyLeave?.id ?? '') ?? [])].sort();
    expect(attachedTo).toEqual(
      ['Security', 'Infrastructure', 'Workloads', 'Sandbox', 'Suspended']
        .map((p) => org.ouIdByPath(p))
        .sort(),
    );
    const quarantine = [...org.policies.values()].find((p) => p.name === 'quarantine');
    expect(org.attachments.get(quarantine?.id ?? '')).toBeUndefined();
    expect(org.attachments.get(FULL_AWS_ACCESS_ID)?.size).toBeGreaterThan(1);

    const security = org.ouIdByPath('Security');
    const inSecurity = [...org.accounts.values()]
      .filter((a) => a.parentId === security)
      .map((a) => a.email)
      .sort();
    expect(inSecurity).toEqual(['aws+log-archive@example.com', 'aws+security-tooling@example.com']);
    expect(Object.keys(result.accounts).sort()).toEqual(['logArchive', 'security']);

    const permissionSets = [...aws.identityCenter.permissionSets.values()];
    expect(permissionSets.map((p) => p.name)).toEqual(['ReadOnly', 'Developer', 'Admin', 'SecurityTriage']);
    expect(permissionSets[0]).toMatchObject({
      sessionDuration: 'PT8H',
      managedPolicies: ['arn:aws:iam::aws:policy/ReadOnlyAccess'],
    });
    expect([...aws.identityCenter.groups.keys()]).toEqual(['payments-developers', 'ledger-developers']);

    const baseline = aws.stackSets.stackSets.get('avf-baseline');
    expect(baseline?.parameters).toEqual({
      SecurityEmail: 'security@example.com',
      HomeRegion: 'us-east-1',
      BaselineVersion: '1',
    });
    expect(baseline?.capabilities).toEqual(['CAPABILITY_NAMED_IAM']);
  });

  it('plans nothing and changes nothing on a second run', async () => {
    const aws = new FakeAws();
    await applyBootstrap(example(), aws, { ...noWait, createGroups: true });
    const before = aws.mutatingCalls();

    const again = await applyBootstrap(example(), aws, { ...noWait, createGroups: true });

    expect(again.actions).toEqual([]);
    expect(aws.mutatingCalls()).toBe(before);
    expect(Object.keys(again.accounts).sort()).toEqual(['logArchive', 'security']);
  });

  it('changes nothing on a dry run, yet lists every change', async () => {
    const aws = new FakeAws();

    const result = await applyBootstrap(example(), aws, { dryRun: true, createGroups: true });

    expect(result).toMatchObject({ dryRun: true, applied: 0 });
    expect(result.actions.map((a) => a.kind)).toContain('create-stack-set');
    expect(aws.mutatingCalls()).toBe(0);
  });

  it('creates the organisation first when there is none (a fresh emulator)', async () => {
    const aws = new FakeAws({ organization: false });

    const plan = await planBootstrap(example(), aws);
    await applyBootstrap(example(), aws, noWait);

    expect(plan.actions[0]?.kind).toBe('create-organization');
    expect(plan.actions.filter((a) => a.kind === 'create-ou')).toHaveLength(7);
    expect(aws.organizations.organizationId).toBeDefined();
    expect((await planBootstrap(example(), aws)).actions).toEqual([]);
  });

  it('creates OUs parents first', async () => {
    const plan = await planBootstrap(example(), new FakeAws());
    const ous = plan.actions.flatMap((a) => (a.kind === 'create-ou' ? [a.path] : []));

    expect(ous.indexOf('Workloads')).toBeLessThan(ous.indexOf('Workloads/Prod'));
  });

  it('only creates groups in demo mode', async () => {
    const aws = new FakeAws();

    await applyBootstrap(example(), aws, noWait);

    expect(aws.identityCenter.groups.size).toBe(0);
    expect(aws.calls['findGroupId']).toBeUndefined();
  });

  it('plans an update when a policy document changed, and only that', async () => {
    const aws = new FakeAws();
    await applyBootstrap(example(), aws, noWait);
    const unchanged = variant(() => undefined);
    const doc = JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        { Sid: 'DenyLeave', Effect: 'Deny', Action: ['organizations:LeaveOrganization'], Resource: '*' },
      ],
    });
    const edited = withDenyLeaveDocument('deny-leave-v2.json', doc);

    expect((await planBootstrap(unchanged, aws)).actions).toEqual([]);
    const plan = await planBootstrap(edited, aws);

    expect(plan.actions.map((a) => a.description)).toEqual([
      'update policy deny-leave-organization (document) from deny-leave-v2.json',
    ]);
    await applyBootstrap(edited, aws, noWait);
    const stored = [...aws.organizations.policies.values()].find((p) => p.name === 'deny-leave-organization');
    expect(stored?.content).toBe(doc);
  });

  it('ignores whitespace and key order when comparing policy documents', async () => {
    const aws = new FakeAws();
    await applyBootstrap(example(), aws, noWait);
    const reordered = JSON.stringify(
      {
        Statement: [
          {
            Resource: '*',
            Action: 'organizations:LeaveOrganization',
            Effect: 'Deny',
            Sid: 'DenyLeaveOrganization',
          },
        ],
        Version: '2012-10-17',
      },
      null,
      8,
    );
    const edited = withDenyLeaveDocument('same.json', reordered);

    expect((await planBootstrap(edited, aws)).actions).toEqual([]);
  });

  it('plans updates of a changed permission set and a changed StackSet version', async () => {
    const aws = new FakeAws();
    await applyBootstrap(example(), aws, noWait);
    aws.operationPolls = 2;
    const edited = variant((c) => {
      const sets = c.permissionSets as Array<Record<string, unknown>>;
      sets[0] = { ...sets[0], sessionDuration: 'PT2H' };
      const stackSets = c.stackSets as Array<Record<string, unknown>>;
      stackSets[0] = { ...stackSets[0], version: '2' };
    });

    const result = await applyBootstrap(edited, aws, noWait);

    expect(result.actions.map((a) => a.description)).toEqual([
      'update permission set ReadOnly (session duration)',
      'update StackSet avf-baseline (parameters)',
    ]);
    expect(aws.calls['getOperation']).toBe(3);
    expect(aws.stackSets.stackSets.get('avf-baseline')?.parameters['BaselineVersion']).toBe('2');
    const readOnly = await aws.identityCenter.findPermissionSetArn(INSTANCE.instanceArn, 'ReadOnly');
    expect(
      (await aws.identityCenter.describePermissionSet(INSTANCE.instanceArn, readOnly ?? '')).sessionDuration,
    ).toBe('PT2H');
  });
});

describe('foundation accounts', () => {
  it('polls CreateAccount until it finishes, pausing between checks', async () => {
    const aws = new FakeAws();
    aws.createAccountPolls = 3;
    const pauses: number[] = [];

    await applyBootstrap(example(), aws, {
      pollIntervalMs: 10,
      sleep: (ms) => Promise.resolve(void pauses.push(ms)),
    });

    expect(aws.calls['startCreateAccount']).toBe(2);
    expect(aws.calls['getCreateAccountStatus']).toBe(8);
    expect(pauses).toEqual(Array(6).fill(10));
  });

  it('fails when the email belongs to an account elsewhere, naming the reason and the fix', async () => {
    const aws = new FakeAws();
    aws.failNextCreateAccount('EMAIL_ALREADY_EXISTS');

    const run = applyBootstrap(example(), aws, noWait);

    await expect(run).rejects.toThrow(
      /log-archive <aws\+log-archive@example.com> failed: EMAIL_ALREADY_EXISTS.*organization.logArchive.email/,
    );
  });

  it('gives up after a bounded wait and resumes the same request on the next run', async () => {
    const aws = new FakeAws();
    aws.createAccountPolls = 5;

    const first = applyBootstrap(example(), aws, { ...noWait, maxPolls: 3 });
    await expect(first).rejects.toMatchObject({ code: 'BOOTSTRAP_PENDING', retryable: true });
    const plan = await planBootstrap(example(), aws);
    await applyBootstrap(example(), aws, { ...noWait, maxPolls: 10 });

    expect(plan.actions.find((a) => a.kind === 'create-account')?.description).toMatch(
      /^wait for the creation of account log-archive/,
    );
    expect(aws.calls['startCreateAccount']).toBe(2);
    expect(aws.organizations.accounts.size).toBe(3);
  });

  it('moves a foundation account that sits elsewhere into its OU', async () => {
    const aws = new FakeAws();
    const id = aws.organizations.addAccount({ name: 'log-archive', email: 'aws+log-archive@example.com' });

    const result = await applyBootstrap(example(), aws, noWait);

    expect(result.actions.find((a) => a.kind === 'move-account')?.description).toBe(
      `move account log-archive (${id}) to OU Security`,
    );
    expect(aws.organizations.accounts.get(id)?.parentId).toBe(aws.organizations.ouIdByPath('Security'));
    expect(result.accounts.logArchive).toBe(id);
  });
});

describe('refusing a plan AWS would reject', () => {
  it('fails when a policy file is over 5,120 characters, naming the file and the limit', async () => {
    const big = JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Deny', Action: Array.from({ length: 400 }, (_, i) => `s3:Action${i}`), Resource: '*' },
      ],
    });
    const loaded = variant(
      (c) => {
        c.policies['big'] = { file: 'big-scp.json' };
      },
      { 'big-scp.json': big },
    );
    const aws = new FakeAws();

    const plan = planBootstrap(loaded, aws);

    await expect(plan).rejects.toThrow(ValidationError);
    await expect(plan).rejects.toThrow(
      /policies\.big\.file: big-scp\.json is [\d,]+ characters without whitespace; a service control policy may have at most 5,120/,
    );
    expect(aws.mutatingCalls()).toBe(0);
  });

  it('fails when a policy file is not JSON or has no Statement, reporting both at once', async () => {
    const loaded = variant(
      (c) => {
        c.policies['broken'] = { file: 'broken.json' };
        c.policies['empty'] = { file: 'empty.json' };
      },
      { 'broken.json': '{ "Version": ', 'empty.json': '{ "Version": "2012-10-17" }' },
    );

    const error = await planBootstrap(loaded, new FakeAws()).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).problems).toEqual([
      { path: 'policies.broken.file', message: 'broken.json is not valid JSON' },
      { path: 'policies.empty.file', message: 'empty.json has no "Statement"' },
    ]);
  });

  it('refuses a 6th SCP on one OU, counting FullAWSAccess', async () => {
    const names = ['p1', 'p2', 'p3', 'p4'];
    const files = Object.fromEntries(
      names.map((n) => [
        `${n}.json`,
        JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Deny', Action: `${n}:X`, Resource: '*' }],
        }),
      ]),
    );
    const loaded = variant((c) => {
      for (const n of names) c.policies[n] = { file: `${n}.json` };
      c.organizationalUnits[0] = {
        ...c.organizationalUnits[0],
        policies: ['deny-leave-organization', ...names],
      };
    }, files);

    const plan = planBootstrap(loaded, new FakeAws());

    await expect(plan).rejects.toThrow(
      /organizationalUnits\[0\]\.policies: OU Security would have 6 SCPs attached \(FullAWSAccess, deny-leave-organization, p1, p2, p3, p4\); AWS allows at most 5 per target/,
    );
  });

  it('counts SCPs already attached outside the config', async () => {
    const aws = new FakeAws();
    await applyBootstrap(example(), aws, noWait);
    const security = aws.organizations.ouIdByPath('Security') ?? '';
    for (const n of ['x1', 'x2', 'x3']) {
      const id = await aws.organizations.createPolicy({
        name: n,
        description: '',
        type: 'SERVICE_CONTROL_POLICY',
        content: '{"Version":"2012-10-17","Statement":[]}',
      });
      await aws.organizations.attachPolicy(id, security);
    }
    const loaded = variant(
      (c) => {
        c.policies['extra'] = { file: 'extra.json' };
        c.organizationalUnits[0] = {
          ...c.organizationalUnits[0],
          policies: ['deny-leave-organization', 'extra'],
        };
      },
      { 'extra.json': JSON.stringify({ Version: '2012-10-17', Statement: [] }) },
    );

    await expect(planBootstrap(loaded, aws)).rejects.toThrow(/OU Security would have 6 SCPs attached/);
  });

  it('fails when the config gives a StackSet a parameter its template does not declare', async () => {
    const loaded = variant((c) => {
      const [baseline] = c.stackSets as Array<{ parameters: Record<string, string> }>;
      if (baseline) baseline.parameters['Nope'] = 'x';
    });

    await expect(planBootstrap(loaded, new FakeAws())).rejects.toThrow(
      /stackSets\[0\]\.parameters\.Nope: stacksets\/baseline\.yaml declares no parameter Nope/,
    );
  });

  it('surfaces an AWS error as it is, retryable', async () => {
    const aws = new FakeAws();
    aws.throttle('getRoot', 1);

    await expect(planBootstrap(example(), aws)).rejects.toMatchObject({
      awsCode: 'ThrottlingException',
      retryable: true,
    });
  });
});

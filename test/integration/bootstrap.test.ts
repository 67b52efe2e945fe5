import { applyBootstrap, planBootstrap } from '../../src/bootstrap';
import { createAwsPorts } from '../../src/aws';
import { loadConfig } from '../../src/config/load';
import type { AwsPorts } from '../../src/domain/ports/aws';
import { startMoto, type LocalAws } from '../../src/local/moto';
import { resolve } from 'node:path';
import { logBucketName, ORGANIZATION_TRAIL_NAME } from '../../src/domain/names';
import type { BootstrapResult } from '../../src/bootstrap';
import { GUARDRAIL_CONTROLS } from '../../src/verify/controls/guardrails';
import { Verifier } from '../../src/verify/verifier';
import { OrgDirectory } from '../../src/domain/org-directory';
import { CreatePolicyCommand, IAMClient } from '@aws-sdk/client-iam';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { substitute } from '../../src/domain/cfn-template';
import { PERMISSIONS_BOUNDARY_POLICY_NAME } from '../../src/domain/names';
import { declaredBoundary } from '../../src/verify/controls/permissions-boundary';

/** `avf bootstrap` over the real adapters and SDK against moto_server: the happy-path wiring. */

const loaded = loadConfig(resolve(__dirname, '../../factory.config.yaml'));
const noWait = { sleep: (): Promise<void> => Promise.resolve(), emulator: true };

let moto: LocalAws;
let aws: AwsPorts;
let first: BootstrapResult;

beforeAll(async () => {
  moto = await startMoto({ seed: 11 });
  aws = createAwsPorts({
    region: loaded.config.homeRegion,
    endpoint: moto.endpoint,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
});

afterAll(async () => {
  await moto?.stop();
});

async function ouIdByPath(path: string): Promise<string | undefined> {
  let parentId = (await aws.organizations.getRoot()).id;
  for (const name of path.split('/')) {
    const found = (await aws.organizations.listOrganizationalUnits(parentId)).find((o) => o.name === name);
    if (!found) return undefined;
    parentId = found.id;
  }
  return parentId;
}

/**
 * What the baseline StackSet creates in a member account and IAM-7 reads back: the boundary policy
 * its template declares, rendered for the account, created through the account's access role.
 */
async function createBoundaryAsBaselineDoes(accountId: string): Promise<void> {
  const base = { region: loaded.config.homeRegion, endpoint: moto.endpoint };
  const role = `arn:aws:iam::${accountId}:role/${loaded.config.organization.accessRoleName}`;
  const { Credentials } = await new STSClient({
    ...base,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  }).send(new AssumeRoleCommand({ RoleArn: role, RoleSessionName: 'baseline' }));
  const iam = new IAMClient({
    ...base,
    credentials: {
      accessKeyId: Credentials?.AccessKeyId ?? '',
      secretAccessKey: Credentials?.SecretAccessKey ?? '',
      sessionToken: Credentials?.SessionToken ?? '',
    },
  });
  const document = substitute(declaredBoundary(loaded)?.document, {
    'AWS::AccountId': accountId,
    'AWS::Partition': 'aws',
    'AWS::Region': loaded.config.homeRegion,
  });
  await iam.send(
    new CreatePolicyCommand({
      PolicyName: PERMISSIONS_BOUNDARY_POLICY_NAME,
      PolicyDocument: JSON.stringify(document),
    }),
  );
}

describe('avf bootstrap against moto', () => {
  test('bootstraps a fresh emulator into the example organisation', async () => {
    const result = await applyBootstrap(loaded, aws, { ...noWait, createGroups: true });
    first = result;

    expect(result.actions[0]?.kind).toBe('create-organization');
    expect(result.applied).toBe(result.actions.length);
  });

  test('reports only what moto lacks: GuardDuty auto-enable, Security Hub standards, Access Analyzer', () => {
    const gaps = first.emulatorGaps.map((g) => g.split(':')[0] ?? '');
    expect(gaps).toEqual(
      expect.arrayContaining([
        'auto-enable GuardDuty for every member account in us-east-1',
        'enable AWS Foundational Security Best Practices in Security Hub in us-east-1',
        'create the organisation analyzer avf-organization-analyzer in the security account (us-east-1)',
      ]),
    );
    expect(gaps.some((g) => /trail|bucket|KMS key|Security Hub administrator/.test(g))).toBe(false);
  });

  test('created the organisation trail: organisation, multi-region, validation, KMS, logging', async () => {
    const logArchive = first.accounts.logArchive ?? '';
    const trail = await aws.orgServices.findTrail(ORGANIZATION_TRAIL_NAME);
    expect(trail).toMatchObject({
      bucketName: logBucketName('cloudtrail', logArchive),
      isOrganizationTrail: true,
      isMultiRegionTrail: true,
      logFileValidationEnabled: true,
      isLogging: true,
    });
    expect(trail?.kmsKeyId).toMatch(/key/);
  });

  test('created the log buckets in the log-archive account, with policies, BPA and SSE-KMS', async () => {
    const logArchive = first.accounts.logArchive ?? '';
    for (const purpose of ['cloudtrail', 'config'] as const) {
      const bucket = await aws.orgServices.findLogBucket(logArchive, logBucketName(purpose, logArchive));
      expect(bucket).toMatchObject({ blockPublicAccess: true, kmsEncrypted: true });
      expect(bucket?.policy).toContain(`${purpose}.amazonaws.com`);
    }
  });

  test('made the security account the GuardDuty and Security Hub administrator', async () => {
    const security = first.accounts.security;
    for (const region of loaded.config.governedRegions) {
      expect(await aws.orgServices.getThreatDetectionAdmin(region)).toBe(security);
    }
    expect(await aws.orgServices.getSecurityHubAutoEnable(security ?? '', 'us-east-1')).toBe(true);
  });

  test('attached the SCPs as configured and the AI-services opt-out at the root', async () => {
    const root = (await aws.organizations.getRoot()).id;
    const names = async (id: string) =>
      (await aws.organizations.listPoliciesForTarget(id, 'SERVICE_CONTROL_POLICY')).map((p) => p.name);
    expect(await names(root)).toEqual(
      expect.arrayContaining(['baseline-guardrails', 'identity-guardrails', 'region-restriction']),
    );
    for (const ou of loaded.config.organizationalUnits) {
      expect(await names((await ouIdByPath(ou.path)) ?? '')).toEqual(expect.arrayContaining(ou.policies));
    }
    const optOut = await aws.organizations.listPoliciesForTarget(root, 'AISERVICES_OPT_OUT_POLICY');
    expect(optOut.map((p) => p.name)).toEqual(['ai-services-opt-out']);
    const content = (await aws.organizations.describePolicy(optOut[0]?.id ?? '')).content;
    expect(JSON.parse(content)).toEqual({
      services: { default: { opt_out_policy: { '@@assign': 'optOut' } } },
    });
    expect((await aws.organizations.getRoot()).enabledPolicyTypes).toContain('AISERVICES_OPT_OUT_POLICY');
  });

  test('created every OU, attached deny-leave-organization where configured', async () => {
    for (const ou of loaded.config.organizationalUnits) {
      const id = await ouIdByPath(ou.path);
      expect(id).toMatch(/^ou-/);
      const scps = (await aws.organizations.listPoliciesForTarget(id ?? '', 'SERVICE_CONTROL_POLICY')).map(
        (p) => p.name,
      );
      expect(scps.includes('deny-leave-organization')).toBe(ou.policies.includes('deny-leave-organization'));
    }
    expect((await aws.organizations.getRoot()).enabledPolicyTypes).toContain('SERVICE_CONTROL_POLICY');
    expect(await aws.organizations.listAwsServiceAccess()).toEqual(
      expect.arrayContaining(['member.org.stacksets.cloudformation.amazonaws.com', 'sso.amazonaws.com']),
    );
  });

  test('created the foundation accounts in Security', async () => {
    const security = await ouIdByPath('Security');
    const emails = (await aws.organizations.listAccountsForParent(security ?? '')).map((a) => a.email).sort();
    expect(emails).toEqual(['aws+log-archive@example.com', 'aws+security-tooling@example.com']);
  });

  test('created the permission sets, the demo group and the StackSet', async () => {
    const { instanceArn, identityStoreId } = await aws.identityCenter.getInstance();
    for (const ps of loaded.config.permissionSets) {
      const arn = await aws.identityCenter.findPermissionSetArn(instanceArn, ps.name);
      expect(arn).toBeDefined();
      expect(await aws.identityCenter.describePermissionSet(instanceArn, arn ?? '')).toMatchObject({
        sessionDuration: ps.sessionDuration,
        managedPolicies: ps.managedPolicies,
      });
    }
    expect(await aws.identityCenter.findGroupId(identityStoreId, 'payments-developers')).toBeDefined();
    const baseline = await aws.stackSets.describeStackSet('avf-baseline');
    expect(baseline?.parameters).toMatchObject({ HomeRegion: 'us-east-1', BaselineVersion: '1' });
  });

  test('guardrail controls PASS on moto for a sandbox account; only declared gaps are ERROR', async () => {
    const sandbox = (await ouIdByPath('Sandbox')) ?? '';
    const root = (await aws.organizations.getRoot()).id;
    const { requestId } = await aws.organizations.startCreateAccount({
      email: 'guardrails@example.com',
      accountName: 'guardrails',
      roleName: loaded.config.organization.accessRoleName,
      tags: {},
    });
    const accountId = (await aws.organizations.getCreateAccountStatus(requestId)).accountId ?? '';
    await aws.organizations.moveAccount(accountId, root, sandbox);
    const verifier = new Verifier(
      GUARDRAIL_CONTROLS,
      { aws, config: loaded, directory: new OrgDirectory(aws) },
      true,
    );
    const target = { accountId, spec: { organizationalUnit: 'Sandbox', access: [] } as never };
    // Without the baseline, IAM-7 finds no boundary policy and says which StackSet creates it.
    const before = await verifier.verify(target, new Date());
    expect(before.results.find((r) => r.id === 'IAM-7')).toMatchObject({
      status: 'FAIL',
      evidence: expect.stringContaining('no policy avf-permissions-boundary'),
    });
    await createBoundaryAsBaselineDoes(accountId);

    const { results } = await verifier.verify(target, new Date());

    expect(verifier.blocking(results)).toEqual([]);
    const notPassing = [...new Set(results.filter((r) => r.status !== 'PASS').map((r) => r.id))];
    expect(notPassing.sort()).toEqual(['L-4', 'L-6']);
  });

  test('plans nothing and changes nothing the second time', async () => {
    expect((await planBootstrap(loaded, aws, { createGroups: true, emulator: true })).actions).toEqual([]);
    const again = await applyBootstrap(loaded, aws, { ...noWait, createGroups: true });
    expect(again.applied).toBe(0);
  });
});

import { applyBootstrap } from '../../../src/bootstrap';
import { GUARDRAIL_CONTROLS } from '../../../src/verify/controls/guardrails';
import { Verifier, type ControlResult } from '../../../src/verify/verifier';
import { OrgDirectory } from '../../../src/domain/org-directory';
import { FakeAws } from '../../support/fake-aws';
import { example } from '../bootstrap/config-fixture';

const loaded = example();
const config = loaded.config;

async function bootstrapped(): Promise<FakeAws> {
  const aws = new FakeAws();
  await applyBootstrap(loaded, aws, { sleep: () => Promise.resolve(), emulator: false });
  return aws;
}

/** A new account in the OU with the baseline StackSet deployed into it (as the vend's baseline step does). */
async function vendedAccount(aws: FakeAws, ou: string): Promise<string> {
  const parentId = aws.organizations.ouIdByPath(ou);
  if (!parentId) throw new Error(`no OU ${ou}`);
  const accountId = aws.organizations.addAccount({ name: 'app', email: 'app@example.com', parentId });
  await aws.stackSets.createStackInstances({
    stackSetName: 'avf-baseline',
    organizationalUnitIds: [parentId],
    accountIds: [accountId],
    regions: config.governedRegions,
    operationId: `baseline-${accountId}`,
  });
  aws.stackSets.completePendingOperations();
  return accountId;
}

async function verify(
  aws: FakeAws,
  ou: string,
  emulator = false,
  accountId?: string,
): Promise<ControlResult[]> {
  accountId ??= await vendedAccount(aws, ou);
  const verifier = new Verifier(
    GUARDRAIL_CONTROLS,
    { aws, config: loaded, directory: new OrgDirectory(aws) },
    emulator,
  );
  const target = { accountId, spec: { organizationalUnit: ou, access: [] } as never };
  return (await verifier.verify(target, new Date())).results;
}

const byId = (results: ControlResult[], id: string) => results.filter((r) => r.id === id);

describe('guardrail and organisation-service controls', () => {
  it('all PASS for an account in a bootstrapped organisation, each declaring seeds and enforcement', async () => {
    const results = await verify(await bootstrapped(), 'Sandbox');

    expect(results.filter((r) => r.status !== 'PASS')).toEqual([]);
    expect(results.map((r) => r.id)).toEqual(
      expect.arrayContaining([
        'G-2',
        'G-3',
        'G-5',
        'G-6',
        'G-7',
        'G-8',
        'G-10',
        'G-11',
        'IAM-6',
        'IAM-7',
        'L-1',
        'L-4',
        'L-6',
      ]),
    );
    expect(byId(results, 'G-5')[0]?.evidence).toMatch(/^denied by sandbox-guardrails/);
    expect(byId(results, 'G-3')[0]?.evidence).toBe(
      'region-restriction denies requests outside us-east-1, eu-west-1',
    );
    expect(byId(results, 'L-4').map((r) => r.region)).toEqual(
      config.governedRegions.flatMap((r) => [r, r, r]),
    );
    for (const c of GUARDRAIL_CONTROLS) {
      expect(c.seeds?.length).toBeGreaterThan(0);
      expect(c.enforcedBy).toBeDefined();
    }
  });

  it('applies G-5 only to sandbox OUs and G-6 only to private OUs', async () => {
    const aws = await bootstrapped();

    const prod = await verify(aws, 'Workloads/Prod');
    const nonProd = await verify(aws, 'Workloads/NonProd');

    expect(byId(prod, 'G-5')[0]?.evidence).toBe('not applicable: the account is not in a sandbox OU');
    expect(byId(prod, 'G-6')[0]).toMatchObject({
      status: 'PASS',
      evidence: expect.stringMatching(/^denied by private-network/),
    });
    expect(byId(nonProd, 'G-6')[0]?.evidence).toBe('not applicable: the account is not in a private OU');
  });

  it('fails when a guardrail is detached from the root, naming what is no longer denied', async () => {
    const aws = await bootstrapped();
    const policy = [...aws.organizations.policies.values()].find((p) => p.name === 'baseline-guardrails');
    await aws.organizations.detachPolicy(policy?.id ?? '', 'r-0000');

    const results = await verify(aws, 'Workloads/NonProd');

    expect(byId(results, 'G-7')[0]).toMatchObject({
      status: 'FAIL',
      evidence: expect.stringMatching(
        /^no SCP in effect denies kms:ScheduleKeyDeletion, kms:DeleteImportedKeyMaterial; in effect: /,
      ),
    });
    expect(byId(results, 'G-11')[0]?.status).toBe('PASS');
  });

  it('fails G-3 when the region policy lists other regions than the config governs', async () => {
    const aws = await bootstrapped();
    const policy = [...aws.organizations.policies.values()].find((p) => p.name === 'region-restriction');
    if (policy) policy.content = policy.content.replace('"eu-west-1"', '"ap-south-1"');

    const results = await verify(aws, 'Sandbox');

    expect(byId(results, 'G-3')[0]).toEqual(
      expect.objectContaining({
        status: 'FAIL',
        evidence: 'region-restriction allows us-east-1, ap-south-1; the config governs us-east-1, eu-west-1',
      }),
    );
  });

  it('fails L-1 when the trail stops logging and G-10 when the opt-out policy is gone', async () => {
    const aws = await bootstrapped();
    const trail = aws.orgServices.trails.get('avf-organization-trail');
    if (trail) trail.isLogging = false;
    const optOut = [...aws.organizations.policies.values()].find((p) => p.name === 'ai-services-opt-out');
    await aws.organizations.detachPolicy(optOut?.id ?? '', 'r-0000');

    const results = await verify(aws, 'Sandbox');

    expect(byId(results, 'L-1')[0]).toMatchObject({ status: 'FAIL', evidence: 'not logging' });
    expect(byId(results, 'G-10')[0]?.status).toBe('FAIL');
  });

  it('reports ERROR for what the emulator lacks, tolerated only where the control declares the gap', async () => {
    const aws = await bootstrapped();
    aws.orgServices.notImplemented.add('listOrganizationAnalyzers');
    aws.orgServices.notImplemented.add('getFoundationalStandardEnabled');
    const verifier = new Verifier(
      GUARDRAIL_CONTROLS,
      { aws, config: loaded, directory: new OrgDirectory(aws) },
      true,
    );

    const results = await verify(aws, 'Sandbox', true);

    expect(byId(results, 'L-6')[0]?.status).toBe('ERROR');
    expect(byId(results, 'L-4').map((r) => r.status)).toEqual([
      'PASS',
      'PASS',
      'ERROR',
      'PASS',
      'PASS',
      'ERROR',
    ]);
    expect(verifier.blocking(results)).toEqual([]);
  });

  describe('IAM-7 reads the permissions boundary back from the account', () => {
    const BOUNDARY = 'avf-permissions-boundary';

    it('passes when the policy is the document the baseline renders for the account', async () => {
      const aws = await bootstrapped();
      const accountId = await vendedAccount(aws, 'Sandbox');
      const [iam7] = byId(await verify(aws, 'Sandbox', false, accountId), 'IAM-7');
      expect(iam7).toMatchObject({
        status: 'PASS',
        evidence: expect.stringContaining(
          `arn:aws:iam::${accountId}:policy/${BOUNDARY} default version v1 is the document stacksets/baseline.yaml renders`,
        ) as unknown,
      });
    });

    it('fails with evidence when a member re-versioned the policy with other content', async () => {
      const aws = await bootstrapped();
      const accountId = await vendedAccount(aws, 'Sandbox');
      const allowAll = {
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }],
      };
      aws.memberAccounts.account(accountId).policies.set(BOUNDARY, {
        name: BOUNDARY,
        arn: `arn:aws:iam::${accountId}:policy/${BOUNDARY}`,
        defaultVersionId: 'v2',
        document: JSON.stringify(allowAll),
      });
      const [iam7] = byId(await verify(aws, 'Sandbox', false, accountId), 'IAM-7');
      expect(iam7?.status).toBe('FAIL');
      expect(iam7?.evidence).toContain(
        `arn:aws:iam::${accountId}:policy/${BOUNDARY} default version v2 is not the document stacksets/baseline.yaml renders: read ${JSON.stringify(allowAll)}, expected {"Version":"2012-10-17","Statement":[{"Sid":"CeilingWithinTheGuardrails"`,
      );
    });

    it('fails when the account has no boundary policy (the baseline never reached it)', async () => {
      const aws = await bootstrapped();
      const parentId = aws.organizations.ouIdByPath('Sandbox');
      const accountId = aws.organizations.addAccount({ name: 'bare', email: 'bare@example.com', parentId });
      const [iam7] = byId(await verify(aws, 'Sandbox', false, accountId), 'IAM-7');
      expect(iam7).toMatchObject({
        status: 'FAIL',
        evidence: expect.stringContaining(
          `no policy ${BOUNDARY} in ${accountId} (the stacksets/baseline.yaml StackSet creates it)`,
        ) as unknown,
      });
    });

    it('is ERROR, not PASS, when the policy cannot be read', async () => {
      const aws = await bootstrapped();
      const accountId = await vendedAccount(aws, 'Sandbox');
      aws.memberAccounts.unimplemented.add('getIamInventory');
      const [iam7] = byId(await verify(aws, 'Sandbox', false, accountId), 'IAM-7');
      expect(iam7?.status).toBe('ERROR');
      expect(iam7?.evidence).toContain('NotImplemented');
    });
  });
});

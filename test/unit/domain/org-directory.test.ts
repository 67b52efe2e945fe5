import { NotFoundError } from '../../../src/domain/errors';
import { OrgDirectory } from '../../../src/domain/org-directory';
import { bootstrapFake } from '../../support/bootstrap-fake';
import { FakeAws } from '../../support/fake-aws';
import { EXAMPLE_CONFIG } from '../workflow/harness';

/** A bootstrapped organisation, its calls so far forgotten. */
async function bootstrapped(): Promise<FakeAws> {
  const aws = new FakeAws();
  await bootstrapFake(aws, EXAMPLE_CONFIG);
  for (const method of Object.keys(aws.calls)) delete aws.calls[method];
  return aws;
}

describe('OrgDirectory.policyId', () => {
  it('answers every name of a policy type from one listing', async () => {
    const aws = await bootstrapped();
    const directory = new OrgDirectory(aws);
    const [quarantine, freeze] = await Promise.all([
      directory.policyId('quarantine'),
      directory.policyId('spending-freeze'),
    ]);
    expect(await directory.policyId('deny-leave-organization')).toMatch(/^p-/);
    expect(quarantine).not.toBe(freeze);
    expect(aws.calls['listPolicies']).toBe(1);
    expect(await directory.policyId('ai-services-opt-out', 'AISERVICES_OPT_OUT_POLICY')).toMatch(/^p-/);
    expect(aws.calls['listPolicies']).toBe(2);
  });

  it('lists again once for a name created since, and says when a name is not there', async () => {
    const aws = await bootstrapped();
    const directory = new OrgDirectory(aws);
    await directory.policyId('quarantine');
    const created = await aws.organizations.createPolicy({
      name: 'made-later',
      description: 'created after the first listing',
      type: 'SERVICE_CONTROL_POLICY',
      content: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}',
    });
    expect(await directory.policyId('made-later')).toBe(created);
    expect(aws.calls['listPolicies']).toBe(2);
    await expect(directory.policyId('never-made')).rejects.toBeInstanceOf(NotFoundError);
    expect(aws.calls['listPolicies']).toBe(3);
  });
});

describe('OrgDirectory.permissionSetArn', () => {
  it('answers every configured set from one listing, not a walk per name', async () => {
    const aws = await bootstrapped();
    const directory = new OrgDirectory(aws);
    const names = EXAMPLE_CONFIG.config.permissionSets.map((p) => p.name);
    expect(names.length).toBeGreaterThan(1);
    const arns = await Promise.all(names.map((n) => directory.permissionSetArn(n)));
    expect(new Set(arns).size).toBe(names.length);
    for (const arn of arns) expect(arn).toMatch(/^arn:aws:sso:::permissionSet\//);
    expect(aws.calls['listPermissionSets']).toBe(1);
    expect(aws.calls['findPermissionSetArn']).toBeUndefined();
    await expect(directory.permissionSetArn('NeverMade')).rejects.toBeInstanceOf(NotFoundError);
    expect(aws.calls['listPermissionSets']).toBe(2);
  });
});

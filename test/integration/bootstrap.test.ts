import { applyBootstrap, planBootstrap } from '../../src/bootstrap';
import { createAwsPorts } from '../../src/aws';
import { loadConfig } from '../../src/config/load';
import type { AwsPorts } from '../../src/domain/ports/aws';
import { startMoto, type LocalAws } from '../../src/local/moto';
import { resolve } from 'node:path';

/** `avf bootstrap` over the real adapters and SDK against moto_server: the happy-path wiring. */

const loaded = loadConfig(resolve(__dirname, '../../factory.config.yaml'));
const noWait = { sleep: (): Promise<void> => Promise.resolve() };

let moto: LocalAws;
let aws: AwsPorts;

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

describe('avf bootstrap against moto', () => {
  test('bootstraps a fresh emulator into the example organisation', async () => {
    const result = await applyBootstrap(loaded, aws, { ...noWait, createGroups: true });

    expect(result.actions[0]?.kind).toBe('create-organization');
    expect(result.applied).toBe(result.actions.length);
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

  test('plans nothing and changes nothing the second time', async () => {
    expect((await planBootstrap(loaded, aws, { createGroups: true })).actions).toEqual([]);
    const again = await applyBootstrap(loaded, aws, { ...noWait, createGroups: true });
    expect(again.applied).toBe(0);
  });
});

import { loadConfig } from '../../../src/config/load';
import { resolve } from 'node:path';
import {
  ACCESS_CATALOG_TTL_MS,
  IdentityCenterCatalog,
  IdentityCenterUnavailableError,
  identityCenterProblems,
} from '../../../src/workflow/intake';
import { FakeAws } from '../../support/fake-aws';
import { FakeClock } from '../workflow/harness';

const config = loadConfig(resolve(__dirname, '../../../factory.config.yaml')).config;

/** Identity Center in memory with one group and two permission sets; a catalog over it. */
function setUp() {
  const aws = new FakeAws();
  const ic = aws.identityCenter;
  ic.groups.set('payments-developers', 'group-1');
  const instanceArn = 'arn:aws:sso:::instance/ssoins-0000000000000001';
  const def = { description: '', sessionDuration: 'PT1H', managedPolicies: [] };
  void ic.createPermissionSet(instanceArn, { ...def, name: 'ReadOnly' });
  void ic.createPermissionSet(instanceArn, { ...def, name: 'Developer' });
  for (const method of Object.keys(aws.calls)) delete aws.calls[method];
  const clock = new FakeClock();
  return { aws, clock, catalog: new IdentityCenterCatalog(ic, clock) };
}

describe('the Identity Center catalog behind the intake pre-flight', () => {
  it('names the groups and permission sets Identity Center lacks', async () => {
    const { catalog } = setUp();
    expect(await catalog.missingGroups(['payments-developers', 'ghost-admins'])).toEqual(['ghost-admins']);
    expect(await catalog.missingPermissionSets(['Developer', 'Admin', 'ReadOnly'])).toEqual(['Admin']);
  });

  it('answers a burst from its cache: bounded calls per TTL, found and missing alike', async () => {
    const { aws, catalog, clock } = setUp();
    for (let i = 0; i < 50; i++) {
      await catalog.missingGroups(['payments-developers', 'ghost-admins', 'payments-developers']);
      await catalog.missingPermissionSets(['Developer', 'Admin']);
    }
    // one instance lookup, one GetGroupId per distinct name, one listing of the permission sets
    expect(aws.calls).toEqual({ getInstance: 1, findGroupId: 2, listPermissionSets: 1 });

    clock.advance(ACCESS_CATALOG_TTL_MS + 1);
    aws.identityCenter.groups.set('ghost-admins', 'group-2');
    expect(await catalog.missingGroups(['ghost-admins'])).toEqual([]);
    expect(aws.calls).toEqual({ getInstance: 2, findGroupId: 3, listPermissionSets: 1 });
  });

  it('shares one call between concurrent lookups of the same name', async () => {
    const { aws, catalog } = setUp();
    await Promise.all(Array.from({ length: 10 }, () => catalog.missingGroups(['payments-developers'])));
    expect(aws.calls['findGroupId']).toBe(1);
  });

  it('turns an AWS failure into IdentityCenterUnavailableError (503) and does not cache it', async () => {
    const { aws, catalog } = setUp();
    aws.throttle('findGroupId', 1);
    const failure = await catalog.missingGroups(['payments-developers']).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(IdentityCenterUnavailableError);
    expect(failure).toMatchObject({
      code: 'IDENTITY_CENTER_UNAVAILABLE',
      retryable: true,
      message: expect.stringContaining('ThrottlingException') as unknown,
    });
    expect(await catalog.missingGroups(['payments-developers'])).toEqual([]);
  });

  it('asks nothing for no grants', async () => {
    const { aws, catalog } = setUp();
    expect(await catalog.missingGroups([])).toEqual([]);
    expect(await catalog.missingPermissionSets([])).toEqual([]);
    expect(aws.calls).toEqual({});
  });
});

describe('identityCenterProblems: the pre-flight problems of a request', () => {
  it('points each missing name at its grant, and skips grants the config rules refused', async () => {
    const { aws, catalog } = setUp();
    const access = [
      { group: 'ghost-admins', permissionSet: 'Developer' },
      { group: 'payments-developers', permissionSet: 'Admin' },
      { group: 'not-configured', permissionSet: 'Whatever' },
    ];
    const known = [{ path: 'access[2].group', message: 'group not-configured is not configured' }];
    const problems = await identityCenterProblems(
      catalog,
      { access, owner: { team: 'payments' } },
      config,
      known,
    );
    expect(problems).toEqual([
      {
        path: 'access[0].group',
        message: expect.stringContaining('group ghost-admins does not exist') as unknown,
      },
      {
        path: 'access[1].permissionSet',
        message: expect.stringContaining('permission set Admin does not exist') as unknown,
      },
    ]);
    // the refused grant's names never reached Identity Center
    expect(aws.calls['findGroupId']).toBe(2);
  });

  it("checks the team's default access when the request names none, pointing at access", async () => {
    const { aws, catalog } = setUp();
    aws.identityCenter.groups.delete('payments-developers');
    const problems = await identityCenterProblems(catalog, { owner: { team: 'payments' } }, config, []);
    expect(problems).toEqual([
      {
        path: 'access',
        message: expect.stringContaining(
          "group payments-developers (team payments's default access in the config) does not exist",
        ) as unknown,
      },
    ]);
  });

  it('checks nothing without a catalog', async () => {
    const access = [{ group: 'ghost-admins', permissionSet: 'Admin' }];
    expect(
      await identityCenterProblems(undefined, { access, owner: { team: 'payments' } }, config, []),
    ).toEqual([]);
  });
});

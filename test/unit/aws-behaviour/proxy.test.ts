import { createAwsPorts } from '../../../src/aws';
import type { AwsPorts } from '../../../src/domain/ports/aws';
import { AwsError } from '../../../src/domain/errors';
import {
  callsBetween,
  startBehaviourProxy,
  type BehaviourProxy,
  type BehaviourProfileInput,
} from '../../../src/local/aws-behaviour';
import { startMoto, type LocalAws } from '../../../src/local/moto';

const TEMPLATE = JSON.stringify({
  Resources: { Handle: { Type: 'AWS::CloudFormation::WaitConditionHandle' } },
});
const CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' };

/** CreateStackSet (SERVICE_MANAGED) sent as is: the adapter would also send ManagedExecution on. */
async function createServiceManagedSet(endpoint: string, name: string, managedExecution: boolean) {
  const form = new URLSearchParams({
    Action: 'CreateStackSet',
    Version: '2010-05-15',
    StackSetName: name,
    TemplateBody: TEMPLATE,
    PermissionModel: 'SERVICE_MANAGED',
    'ManagedExecution.Active': String(managedExecution),
  });
  const res = await fetch(endpoint, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: 'AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/cloudformation/aws4_request',
    },
    body: form.toString(),
  });
  expect(res.status).toBe(200);
}

describe('AWS behaviour layer: moto behind the proxy acts like AWS', () => {
  let moto: LocalAws;
  let proxy: BehaviourProxy;
  let aws: AwsPorts;
  let clock = 1_000_000;
  const later = (ms: number) => (clock += ms);

  async function restart(profile: BehaviourProfileInput): Promise<void> {
    await proxy?.stop();
    await fetch(`${moto.endpoint}/moto-api/reset`, { method: 'POST' });
    proxy = await startBehaviourProxy({ upstream: moto.endpoint, profile, now: () => clock });
    aws = createAwsPorts({ region: 'us-east-1', endpoint: proxy.endpoint, credentials: CREDENTIALS });
    await aws.organizations.createOrganization();
  }

  const create = (n: number, email = `vend-${n}@example.com`) =>
    aws.organizations.startCreateAccount({
      email,
      accountName: `vend-${n}`,
      roleName: 'OrganizationAccountAccessRole',
      tags: {},
    });

  beforeAll(async () => {
    moto = await startMoto();
  });
  afterAll(async () => {
    await proxy?.stop();
    await moto?.stop();
  });

  describe('CreateAccount', () => {
    beforeEach(() => restart({ createAccount: { durationMs: 60_000 } }));

    it('stays IN_PROGRESS for the profile duration, the account hidden meanwhile', async () => {
      const started = await create(1);
      expect(started.state).toBe('IN_PROGRESS');
      later(30_000);
      expect((await aws.organizations.getCreateAccountStatus(started.requestId)).state).toBe('IN_PROGRESS');
      expect(await aws.organizations.findAccountByEmail('vend-1@example.com')).toBeUndefined();
      expect((await aws.organizations.listCreateAccountStatusesByName('vend-1')).map((s) => s.state)).toEqual(
        ['IN_PROGRESS'],
      );
      later(30_000);
      const done = await aws.organizations.getCreateAccountStatus(started.requestId);
      expect(done).toEqual(
        expect.objectContaining({ state: 'SUCCEEDED', accountId: expect.stringMatching(/^\d{12}$/) }),
      );
      expect((await aws.organizations.findAccountByEmail('vend-1@example.com'))?.id).toBe(done.accountId);
    });

    it('fails a second request for the email: CONCURRENT_ACCOUNT_MODIFICATION, then EMAIL_ALREADY_EXISTS', async () => {
      await create(1, 'same@example.com');
      const concurrent = await create(2, 'same@example.com');
      expect((await aws.organizations.getCreateAccountStatus(concurrent.requestId)).failureReason).toBe(
        'CONCURRENT_ACCOUNT_MODIFICATION',
      );
      later(60_000);
      const after = await create(3, 'SAME@example.com');
      expect(await aws.organizations.getCreateAccountStatus(after.requestId)).toEqual(
        expect.objectContaining({ state: 'FAILED', failureReason: 'EMAIL_ALREADY_EXISTS' }),
      );
      expect(proxy.log.executed('CreateAccount')).toHaveLength(1);
      expect(proxy.log.rejected('CreateAccount').map((c) => c.code)).toEqual([
        'CONCURRENT_ACCOUNT_MODIFICATION',
        'EMAIL_ALREADY_EXISTS',
      ]);
    });

    it('fails when the email belongs to an account moto already holds', async () => {
      const taken = await create(1, 'master@example.com');
      expect((await aws.organizations.getCreateAccountStatus(taken.requestId)).failureReason).toBe(
        'EMAIL_ALREADY_EXISTS',
      );
    });

    it('runs at most 5 at once per organisation', async () => {
      for (let i = 1; i <= 5; i++) await create(i);
      await expect(create(6)).rejects.toEqual(
        expect.objectContaining({ awsCode: 'TooManyRequestsException', retryable: true }),
      );
      later(60_000);
      await expect(create(7)).resolves.toEqual(expect.objectContaining({ state: 'IN_PROGRESS' }));
      expect(proxy.log.executed('CreateAccount')).toHaveLength(6);
    });
  });

  describe('calls arriving together', () => {
    it('CreateAccount: still at most 5 in progress, and one create per email', async () => {
      await restart({ createAccount: { durationMs: 60_000 } });
      const results = await Promise.allSettled([1, 2, 3, 4, 5, 6, 7].map((n) => create(n)));
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(5);
      expect(proxy.log.executed('CreateAccount')).toHaveLength(5);
      expect(proxy.log.rejected('CreateAccount', 'TooManyRequestsException')).toHaveLength(2);
      await restart({ createAccount: { durationMs: 60_000 } });
      await Promise.all([create(1, 'twice@example.com'), create(2, 'twice@example.com')]);
      expect(proxy.log.executed('CreateAccount')).toHaveLength(1);
      expect(proxy.log.rejected('CreateAccount', 'CONCURRENT_ACCOUNT_MODIFICATION')).toHaveLength(1);
    });

    it('CreateAccountAssignment: still at most the outstanding quota', async () => {
      await restart({ assignments: { durationMs: 5_000, maxOutstanding: 2 } });
      const instance = await aws.identityCenter.getInstance();
      const assign = (accountId: string) =>
        aws.identityCenter.startAccountAssignment({
          instanceArn: instance.instanceArn,
          accountId,
          permissionSetArn: `${instance.instanceArn.replace(':instance/', ':permissionSet/')}/ps-1`,
          groupId: 'g-1',
        });
      const results = await Promise.allSettled(['111111111111', '222222222222', '333333333333'].map(assign));
      expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'fulfilled', 'rejected']);
      expect(proxy.log.executed('CreateAccountAssignment')).toHaveLength(2);
    });
  });

  describe('call counts', () => {
    beforeEach(() => restart({ createAccount: { durationMs: 60_000, maxInProgress: 1 } }));

    it('counts every call by service and action: reads and refused calls too, not /moto-api', async () => {
      const before = proxy.callCounts();
      const started = await create(1);
      await aws.organizations.getCreateAccountStatus(started.requestId);
      await aws.organizations.getCreateAccountStatus(started.requestId);
      await expect(create(2)).rejects.toEqual(
        expect.objectContaining({ awsCode: 'TooManyRequestsException' }),
      );
      await fetch(`${proxy.endpoint}/moto-api/data.json`);
      expect(callsBetween(before, proxy.callCounts())).toEqual({
        total: 4,
        byAction: { 'organizations:CreateAccount': 2, 'organizations:DescribeCreateAccountStatus': 2 },
      });
    });
  });

  describe('StackSet operations', () => {
    const ops = { stackSets: { operationMs: 90_000 } };
    let ouId = '';
    const deploy = (accountId: string, operationId: string, stackSetName = 'baseline') =>
      aws.stackSets.createStackInstances({
        stackSetName,
        organizationalUnitIds: [ouId],
        accountIds: [accountId],
        regions: ['us-east-1'],
        operationId,
      });
    const createSet = (name: string, managedExecution: boolean) =>
      createServiceManagedSet(proxy.endpoint, name, managedExecution);

    const newOu = async () => {
      const root = await aws.organizations.getRoot();
      ouId = await aws.organizations.createOrganizationalUnit(root.id, 'Workloads');
      return root.id;
    };

    beforeEach(async () => {
      await restart(ops);
      await newOu();
    });

    it("stays RUNNING for the profile duration, then SUCCEEDED, under the caller's OperationId", async () => {
      await createSet('baseline', false);
      const id = await deploy('111111111111', 'op-1');
      expect(id).toBe('op-1');
      expect((await aws.stackSets.getOperation('baseline', 'op-1')).status).toBe('RUNNING');
      later(90_000);
      expect((await aws.stackSets.getOperation('baseline', 'op-1')).status).toBe('SUCCEEDED');
    });

    it('refuses a second operation on the StackSet with OperationInProgressException', async () => {
      await createSet('baseline', false);
      await deploy('111111111111', 'op-1');
      const second = deploy('222222222222', 'op-2');
      await expect(second).rejects.toBeInstanceOf(AwsError);
      await expect(second).rejects.toEqual(
        expect.objectContaining({ awsCode: 'OperationInProgressException', retryable: true }),
      );
      expect(proxy.log.rejected('CreateStackInstances', 'OperationInProgressException')).toHaveLength(1);
      later(90_000);
      await expect(deploy('222222222222', 'op-2')).resolves.toBe('op-2');
    });

    it('with ManagedExecution accepts a second operation and queues it behind the one in flight', async () => {
      await createSet('managed', true);
      await deploy('111111111111', 'op-a', 'managed');
      await deploy('222222222222', 'op-b', 'managed');
      const def = {
        name: 'managed',
        description: '',
        templateBody: TEMPLATE,
        parameters: {},
        capabilities: [],
      };
      await aws.stackSets.updateStackSet(def, 'op-c');
      const status = async (id: string) => (await aws.stackSets.getOperation('managed', id)).status;
      expect([await status('op-a'), await status('op-b'), await status('op-c')]).toEqual([
        'RUNNING',
        'QUEUED',
        'QUEUED',
      ]);
      later(90_000);
      expect([await status('op-a'), await status('op-b'), await status('op-c')]).toEqual([
        'SUCCEEDED',
        'RUNNING',
        'QUEUED',
      ]);
      later(90_000);
      expect([await status('op-b'), await status('op-c')]).toEqual(['SUCCEEDED', 'RUNNING']);
    });

    it('holds to one operation at a time when operations arrive together', async () => {
      await createSet('baseline', false);
      await createSet('managed', true);
      const accounts = ['111111111111', '222222222222', '333333333333'];
      const together = (set: string) => Promise.allSettled(accounts.map((a, i) => deploy(a, `op-${i}`, set)));
      const refused = await together('baseline');
      expect(refused.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      expect(proxy.log.rejected('CreateStackInstances', 'OperationInProgressException')).toHaveLength(2);
      await together('managed');
      const statuses = await Promise.all(
        accounts.map(async (_, i) => (await aws.stackSets.getOperation('managed', `op-${i}`)).status),
      );
      expect(statuses.sort()).toEqual(['QUEUED', 'QUEUED', 'RUNNING']);
    });

    it('deploys at most 100 stack instances at once: a bigger operation takes longer', async () => {
      await createSet('big', true);
      const accounts = Array.from({ length: 60 }, (_, i) => String(100000000000 + i));
      await aws.stackSets.createStackInstances({
        stackSetName: 'big',
        organizationalUnitIds: [],
        accountIds: accounts,
        regions: ['us-east-1', 'eu-west-1'],
        operationId: 'op-big',
      });
      const status = async () => (await aws.stackSets.getOperation('big', 'op-big')).status;
      later(90_000);
      expect(await status()).toBe('RUNNING');
      later(90_000);
      expect(await status()).toBe('SUCCEEDED');
    });

    it('treats the same OperationId again as the same operation (OperationIdAlreadyExistsException)', async () => {
      await createSet('baseline', false);
      await deploy('111111111111', 'op-1');
      later(90_000);
      await expect(deploy('111111111111', 'op-1')).resolves.toBe('op-1');
      expect(proxy.log.executed('CreateStackInstances')).toHaveLength(1);
      expect(proxy.log.rejected('CreateStackInstances', 'OperationIdAlreadyExistsException')).toHaveLength(1);
    });

    it('fails stack instances at the profile rate', async () => {
      await restart({
        createAccount: { durationMs: 0 },
        stackSets: { operationMs: 1_000, failedInstanceRate: 1 },
      });
      const rootId = await newOu();
      const accountId = (await create(1)).accountId!;
      await aws.organizations.moveAccount(accountId, rootId, ouId);
      await createSet('baseline', false);
      await deploy(accountId, 'op-1');
      expect((await aws.stackSets.listStackInstances('baseline', accountId))[0]?.detailedStatus).toBe(
        'RUNNING',
      );
      later(1_000);
      expect((await aws.stackSets.getOperation('baseline', 'op-1')).status).toBe('SUCCEEDED');
      const instances = await aws.stackSets.listStackInstances('baseline', accountId);
      expect(instances).toEqual([
        expect.objectContaining({ region: 'us-east-1', status: 'OUTDATED', detailedStatus: 'FAILED' }),
      ]);
    });
  });

  describe('OU targets of service-managed stack instances', () => {
    it('keeps an instance with the OU it was created through until it is deleted through that OU', async () => {
      await restart({ createAccount: { durationMs: 0 }, stackSets: { operationMs: 0 } });
      const root = await aws.organizations.getRoot();
      const [a, b] = [
        await aws.organizations.createOrganizationalUnit(root.id, 'A'),
        await aws.organizations.createOrganizationalUnit(root.id, 'B'),
      ];
      const accountId = (await create(1)).accountId!;
      const other = (await create(2)).accountId!;
      await aws.organizations.moveAccount(accountId, root.id, a);
      await aws.organizations.moveAccount(other, root.id, a);
      await createServiceManagedSet(proxy.endpoint, 'baseline', true);
      const targets = (ous: string[], operationId: string) => ({
        stackSetName: 'baseline',
        organizationalUnitIds: ous,
        accountIds: [accountId],
        regions: ['us-east-1'],
        operationId,
      });
      const ousOf = async () =>
        (await aws.stackSets.listStackInstances('baseline')).map(
          (i) => `${i.account} ${i.organizationalUnitId}`,
        );

      await aws.stackSets.createStackInstances(targets([a], 'op-1'));
      expect(await ousOf()).toEqual([`${accountId} ${a}`]); // INTERSECTION: not the other account of A
      await aws.organizations.moveAccount(accountId, a, b);
      await aws.stackSets.createStackInstances(targets([b], 'op-2'));
      expect((await ousOf()).sort()).toEqual([`${accountId} ${a}`, `${accountId} ${b}`].sort());
      await aws.stackSets.deleteStackInstances(targets([a], 'op-3'));
      expect(await ousOf()).toEqual([`${accountId} ${b}`]);
      expect((await aws.stackSets.getOperation('baseline', 'op-3')).status).toBe('SUCCEEDED');
      await aws.stackSets.deleteStackInstances(targets([b], 'op-4'));
      expect(await ousOf()).toEqual([]);
    });
  });

  describe('Identity Center assignments', () => {
    beforeEach(() => restart({ assignments: { durationMs: 5_000 } }));

    it('stay IN_PROGRESS for the profile duration', async () => {
      const instance = await aws.identityCenter.getInstance();
      const input = {
        instanceArn: instance.instanceArn,
        accountId: '111111111111',
        permissionSetArn: `${instance.instanceArn.replace(':instance/', ':permissionSet/')}/ps-1`,
        groupId: 'g-1',
      };
      const started = await aws.identityCenter.startAccountAssignment(input);
      expect(started.status).toBe('IN_PROGRESS');
      expect(
        (await aws.identityCenter.getAccountAssignmentStatus(instance.instanceArn, started.requestId)).status,
      ).toBe('IN_PROGRESS');
      later(5_000);
      expect(
        (await aws.identityCenter.getAccountAssignmentStatus(instance.instanceArn, started.requestId)).status,
      ).toBe('SUCCEEDED');
      expect(proxy.log.executed('CreateAccountAssignment')).toHaveLength(1);
    });
  });

  describe('faults', () => {
    it('throttles at the profile rate, seeded, and logs it', async () => {
      await restart({ seed: 3, faults: { throttleRate: 1, actions: ['CreateAccount'] } });
      await expect(create(1)).rejects.toEqual(
        expect.objectContaining({ awsCode: 'TooManyRequestsException', retryable: true }),
      );
      expect(
        proxy.log
          .all()
          .filter((c) => c.action === 'CreateAccount')
          .map((c) => c.outcome),
      ).toEqual(['fault']);
      expect(proxy.log.executed('CreateAccount')).toHaveLength(0);
    });

    it('answers 503 after carrying the call out: the caller cannot know it happened', async () => {
      await restart({ faults: { unavailableRate: 1, afterExecutionShare: 1, actions: ['CreateAccount'] } });
      await expect(create(1)).rejects.toEqual(expect.objectContaining({ retryable: true }));
      expect(
        proxy.log
          .all()
          .filter((c) => c.action === 'CreateAccount')
          .map((c) => c.outcome),
      ).toEqual(['executed-lost']);
      proxy.setFaults(false);
      expect((await aws.organizations.listCreateAccountStatusesByName('vend-1')).map((s) => s.state)).toEqual(
        ['IN_PROGRESS'],
      );
    });

    it('repeats the same faults for the same seed', async () => {
      const outcomes = async () => {
        await restart({ seed: 42, faults: { throttleRate: 0.5, actions: ['CreateAccount'] } });
        for (let i = 1; i <= 8; i++) await create(i).catch(() => undefined);
        return proxy.log
          .all()
          .filter((c) => c.action === 'CreateAccount')
          .map((c) => c.outcome);
      };
      const first = await outcomes();
      expect(first).toContain('fault');
      expect(await outcomes()).toEqual(first);
    });
  });
});

import { CloudFormationClient, DeleteStackInstancesCommand } from '@aws-sdk/client-cloudformation';
import type { LoadedConfig } from '../../src/config/load';
import { SAMPLE_REQUEST } from '../../src/local/sample-request';
import type { Principal } from '../../src/domain/principal';
import { baselineVersionOf } from '../../src/workflow/rollout/baseline-version';
import type { Rollout } from '../../src/workflow/rollout/rollout-document';
import { getRollout, planRollout, startRollout } from '../../src/workflow/rollout/rollouts';
import type { WorkflowDeps } from '../../src/workflow/step';
import { startWorkerLoop } from '../../src/workflow/worker-loop';
import { Worker } from '../../src/workflow/worker';
import { serveLocalApi, type LocalApi } from '../support/local-api';
import { startLocalFactory, type LocalFactory } from '../support/local-factory';

const platform: Principal = { role: 'platform', name: 'platform-engineer' };

/** The factory's config with another SecurityEmail parameter on the avf-baseline StackSet. */
function withSecurityEmail(loaded: LoadedConfig, email: string): LoadedConfig {
  const config = structuredClone(loaded.config);
  const set = config.stackSets.find((s) => s.name === 'avf-baseline');
  if (!set) throw new Error('no avf-baseline StackSet');
  set.parameters = { ...set.parameters, SecurityEmail: email };
  return { ...loaded, config };
}

describe('rollouts on moto: waves through the real StackSets, a broken canary halts', () => {
  let local: LocalFactory;
  let server: LocalApi;
  const accounts: string[] = [];

  beforeAll(async () => {
    local = await startLocalFactory({ seed: 17, workerId: 'rollout-worker' });
    const { runtime } = local;
    server = await serveLocalApi(local);
    // one account per OU: plain moto deploys an OU-targeted CreateStackInstances again to every
    // account already in the OU, which fails on the templates' fixed role names
    const ous = ['Workloads/NonProd', 'Sandbox', 'Workloads/Prod'];
    for (const [i, organizationalUnit] of ous.entries()) {
      const body = {
        ...SAMPLE_REQUEST,
        accountName: `rollout-${i}`,
        email: `aws+rollout-${i}@example.com`,
        organizationalUnit,
      };
      const { id } = (await api('POST', '/v1/account-requests', body)) as { id: string };
      let record = await runtime.store.get(id);
      if (record?.status === 'PENDING_APPROVAL') await api('POST', `/v1/account-requests/${id}/approve`);
      for (let t = 0; t < 400 && !['READY', 'FAILED'].includes(record?.status ?? ''); t++) {
        await new Promise((r) => setTimeout(r, 50));
        record = await runtime.store.get(id);
      }
      expect({ status: record?.status, error: record?.error }).toEqual({ status: 'READY', error: undefined });
      accounts.push(record?.accountId ?? '');
    }
  }, 120_000);

  const api = async (method: string, path: string, body?: unknown): Promise<unknown> =>
    (await server.call(method, path, body)).body;

  afterAll(async () => {
    await server?.close();
    await local?.stop();
  });

  /** A worker whose config describes `config`, running every kind of job (rollouts, drift too). */
  async function rollOut(config: LoadedConfig, body: Parameters<typeof startRollout>[2]): Promise<Rollout> {
    const deps: WorkflowDeps = { ...local.runtime.deps, config };
    const started = await startRollout(deps, platform, body);
    const worker = new Worker(deps, { id: 'rollout-bg' });
    const loop = startWorkerLoop(worker, { intervalMs: 50 });
    try {
      let rollout = started;
      for (let i = 0; i < 600 && rollout.status === 'RUNNING'; i++) {
        await new Promise((r) => setTimeout(r, 50));
        rollout = await getRollout(deps, platform, started.id);
      }
      return rollout;
    } finally {
      await loop.stop();
    }
  }

  it('rolls a changed StackSet parameter out: canary, 50%, 100%; every account records the version', async () => {
    const config = withSecurityEmail(local.runtime.config, 'secops@example.com');
    const to = baselineVersionOf(config).version;
    const rollout = await rollOut(config, { waves: { canary: 1, percentages: [50, 100] } });
    expect(rollout.status).toBe('SUCCEEDED');
    expect(rollout.waves.length).toBeGreaterThanOrEqual(2);
    expect(rollout.waves.map((w) => [w.label, w.status, w.failed])).toEqual([
      ['canary', 'SUCCEEDED', 0],
      ['50%', 'SUCCEEDED', 0],
      ['100%', 'SUCCEEDED', 0],
    ]);
    for (const accountId of accounts) {
      const record = await local.runtime.store.findByAccountId(accountId);
      expect(record?.baseline?.version).toBe(to);
    }
    const live = await local.runtime.aws.stackSets.describeStackSet('avf-baseline');
    expect(live?.parameters.SecurityEmail).toBe('secops@example.com');
  }, 120_000);

  it('halts after the canary when its stack instances were deleted by hand', async () => {
    const config = withSecurityEmail(local.runtime.config, 'secops-2@example.com');
    const deps = { ...local.runtime.deps, config };
    const body = { waves: { canary: 1, percentages: [100] }, failureThresholdPercent: 0 };
    const plan = await planRollout(deps, platform, body);
    const canary = plan.waves[0]?.accounts[0] ?? '';
    expect(accounts).toContain(canary);
    const cfn = new CloudFormationClient(local.sdk());
    await cfn.send(
      new DeleteStackInstancesCommand({
        StackSetName: 'avf-baseline',
        Accounts: [canary],
        Regions: config.config.governedRegions,
        RetainStacks: false,
      }),
    );

    const rollout = await rollOut(config, body);
    expect(rollout.status).toBe('HALTED');
    expect(rollout.haltReason).toMatch(/wave 1 \(canary\): 1 of 1 account\(s\) failed/);
    expect(rollout.waves[0]?.results[canary]?.reasons.join()).toMatch(/no stack instance/);
    expect(rollout.waves[1]?.status).toBe('PENDING');
    // the other accounts were not touched: they still hold the previous version
    for (const accountId of accounts.filter((a) => a !== canary)) {
      const record = await local.runtime.store.findByAccountId(accountId);
      expect(record?.baseline?.version).not.toBe(rollout.toVersion);
    }
  }, 120_000);
});

import type { RequestRecord } from '../../../src/domain/account-request';
import { CONTROLS } from '../../../src/verify/controls';
import { withOrganisationReadCache } from '../../../src/verify/organisation-read-cache';
import { Verifier } from '../../../src/verify/verifier';
import { key } from '../../support/fake-aws/stack-set-state';
import { EXAMPLE_CONFIG, harness, submit, type Harness } from '../workflow/harness';

/** Two accounts submitted together, vended to READY: one batch, one operation per StackSet. */
async function batchOfTwo(h: Harness): Promise<RequestRecord[]> {
  const requests = await Promise.all(
    [0, 1].map((i) =>
      submit(h, { spec: { accountName: `batch-${i}`, email: `aws+batch-${i}@example.com` } }),
    ),
  );
  const done: RequestRecord[] = [];
  for (const r of requests) done.push(await h.runToEnd(r.id));
  return done;
}

/** The verifier as the composition root builds it: organisation facts shared for a minute. */
const sharedVerifier = (h: Harness) =>
  new Verifier(
    CONTROLS,
    {
      aws: withOrganisationReadCache(h.aws, h.clock, 60_000),
      config: EXAMPLE_CONFIG,
      directory: h.deps.directory,
    },
    false,
  );

const baselineResults = async (verifier: Verifier, h: Harness, record: RequestRecord) =>
  (
    await verifier.verify(
      {
        accountId: record.accountId!,
        spec: record.spec,
        vending: false,
        stackSetOperations: record.handles.stackSetOperations ?? {},
      },
      h.clock.now(),
    )
  ).results.filter((r) => r.id === 'S-1');

describe('S-1 in a vend: the batch operation’s instances, shared by its accounts', () => {
  it('reads each StackSet’s operation once for the whole batch, and no account’s own instances', async () => {
    const h = await harness();
    const [a, b] = await batchOfTwo(h);
    expect(a!.status).toBe('READY');
    expect(b!.status).toBe('READY');
    // one batch: both accounts' instances came from the same operations
    expect(a!.handles.stackSetOperations).toEqual(b!.handles.stackSetOperations);
    const verifier = sharedVerifier(h);
    const before = { ...h.aws.calls };
    const made = (m: string) => (h.aws.calls[m] ?? 0) - (before[m] ?? 0);
    for (const record of [a!, b!]) {
      const results = await baselineResults(verifier, h, record);
      expect(results.length).toBeGreaterThan(0);
      for (const r of results) expect(r.status).toBe('PASS');
    }
    expect(made('listStackInstancesOfOperation')).toBe(EXAMPLE_CONFIG.config.stackSets.length);
    expect(made('listStackInstances')).toBe(0);
  });

  it('reads the account’s own instances where the operation’s do not show it healthy, and they decide', async () => {
    const h = await harness();
    const [a] = await batchOfTwo(h);
    const stackSet = EXAMPLE_CONFIG.config.stackSets[0]!;
    const region = (stackSet.regions ?? EXAMPLE_CONFIG.config.governedRegions)[0]!;
    // the instance is gone since the operation (someone deleted it): the shared listing is stale
    h.aws.stackSets.stackSets.get(stackSet.name)!.instances.delete(key(a!.accountId!, region));
    const before = { ...h.aws.calls };
    const results = await baselineResults(sharedVerifier(h), h, a!);
    expect(h.aws.calls['listStackInstances']! - (before['listStackInstances'] ?? 0)).toBe(1);
    expect(results.find((r) => r.region === region && r.evidence.startsWith(stackSet.name))).toMatchObject({
      status: 'FAIL',
      evidence: `${stackSet.name}: no instance`,
    });
  });
});

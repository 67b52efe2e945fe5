import { readDocument } from '../../../src/workflow/coordination/document';
import { DRIFT_DOCUMENT_ID, DRIFT_KIND } from '../../../src/workflow/drift/sweep-document';
import { OUTBOX_RETRY_MS } from '../../../src/workflow/events';
import { registry } from '../../../src/metrics/registry';
import { harness } from '../workflow/harness';
import { runSweep, stepSweep, vendAccounts, withDrift } from './drift-harness';

/** The failed publishes counted for the drift document so far. */
async function publishFailures(): Promise<number> {
  const metric = await registry.getSingleMetric('avf_event_publish_failures_total')?.get();
  return metric?.values.find((v) => v.labels.source === 'drift-sweep')?.value ?? 0;
}

describe('drift events: saved with the sweep, sent when the bus answers', () => {
  it('keeps the events of a step whose publish failed in the sweep document and sends them, in order, on the next step', async () => {
    const h = await harness();
    await vendAccounts(h, 2);
    withDrift(h, { remediate: false, verificationsPerMinute: 60 }, 'avf-events');
    const failuresBefore = await publishFailures();
    // Every publish fails while the sweep runs: the bus is down.
    h.aws.throttle('publish', 1_000);

    const sweep = await runSweep(h);
    expect(h.aws.published).toEqual([]);
    const { body: stored } = await readDocument(h.store, DRIFT_KIND, DRIFT_DOCUMENT_ID);
    const kept = stored.outbox?.map((e) => e.detailType) ?? [];
    expect(kept).toContain('Drift Sweep Finished');
    expect(kept.at(-1)).toBe('Drift Sweep Finished');
    expect(await publishFailures()).toBeGreaterThan(failuresBefore);

    // The bus is back: the next step (the job tries again OUTBOX_RETRY_MS later) sends what was
    // kept, in the order it happened, and empties the outbox.
    h.aws.unthrottle('publish');
    h.clock.advance(OUTBOX_RETRY_MS);
    expect(await stepSweep(h, 'w1')).toBe(true);
    expect(h.aws.published.map((e) => e.detailType).slice(0, kept.length)).toEqual(kept);
    expect(h.aws.published.find((e) => e.detailType === 'Drift Sweep Finished')?.detail).toMatchObject({
      id: sweep.id,
    });
    const { body: after } = await readDocument(h.store, DRIFT_KIND, DRIFT_DOCUMENT_ID);
    expect(after.outbox).toBeUndefined();
  });

  it('keeps nothing when no bus is configured', async () => {
    const h = await harness();
    await vendAccounts(h, 1);
    withDrift(h, { remediate: false, verificationsPerMinute: 60 });
    await runSweep(h);
    const { body: stored } = await readDocument(h.store, DRIFT_KIND, DRIFT_DOCUMENT_ID);
    expect(stored.outbox).toBeUndefined();
    expect(h.aws.published).toEqual([]);
  });
});

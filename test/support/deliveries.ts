import type { LoadedConfig } from '../../src/config/load';
import type { JobRecord } from '../../src/domain/ports/job-store';
import { DELIVERY_KIND } from '../../src/workflow/notify/delivery-kind';
import { DELIVERY_JOB } from '../../src/workflow/notify/outbox';
import type { WorkflowDeps } from '../../src/workflow/step';
import { Worker } from '../../src/workflow/worker';

/**
 * One delivery pass, as a worker running only the delivery kind makes it: ticks (and waits for
 * the detached steps) until no delivery job is due, so every job due now has been stepped until
 * it is caught up or waits for a retry time.
 */
export async function deliverDue(deps: WorkflowDeps, owner = 'w1'): Promise<void> {
  const worker = new Worker(deps, { id: owner, kinds: [DELIVERY_KIND] });
  for (let i = 0; i < 50; i++) {
    const { jobs } = await worker.tick();
    await worker.settled();
    if (!jobs[DELIVERY_JOB]) return;
  }
  throw new Error('delivery jobs still due after 50 passes');
}

/** The request's delivery job, if it has one (it exists only while events wait). */
export function deliveryJob(deps: Pick<WorkflowDeps, 'store'>, id: string): Promise<JobRecord | undefined> {
  return deps.store.jobs.getJob(DELIVERY_JOB, id);
}

/** The config with some of `events.webhooks` changed. */
export function withWebhooks(
  config: LoadedConfig,
  patch: Partial<LoadedConfig['config']['events']['webhooks']>,
): LoadedConfig {
  const { events } = config.config;
  return {
    ...config,
    config: { ...config.config, events: { ...events, webhooks: { ...events.webhooks, ...patch } } },
  };
}

import type { FactoryConfig } from '../../../src/config/schema';
import type { Principal } from '../../../src/domain/principal';
import { driftStatus } from '../../../src/workflow/drift/drift-status';
import { SWEEP_JOB_KIND } from '../../../src/workflow/drift/sweep-kind';
import type { Sweep } from '../../../src/workflow/drift/sweep-document';
import { stepKind } from '../../support/job-steps';
import { EXAMPLE_CONFIG, vendAccounts as vendHarnessAccounts, type Harness } from '../workflow/harness';

export const auditor: Principal = { role: 'auditor', name: 'auditor' };
export const platform: Principal = { role: 'platform', name: 'platform-engineer' };

/** The example config with these drift settings (and an event bus, when named). */
export function withDrift(h: Harness, drift: Partial<FactoryConfig['drift']>, busName?: string): void {
  const config = structuredClone(EXAMPLE_CONFIG.config);
  config.drift = { ...config.drift, ...drift };
  if (busName) config.events.busName = busName;
  h.deps.config = { ...EXAMPLE_CONFIG, config };
}

/** Vends `n` accounts to READY; returns their ids. */
/** Vends `n` accounts (`drift-0`, `drift-1`, …) to READY. */
export const vendAccounts = (h: Harness, n: number): Promise<string[]> => vendHarnessAccounts(h, n, 'drift');

/** The sweep running now, or the last one. */
export async function sweepOf(h: Harness): Promise<Sweep> {
  const { sweep } = await driftStatus(h.deps, auditor);
  if (!sweep) throw new Error('no sweep');
  return { ...sweep };
}

/**
 * One tick of `owner`'s worker running the sweep's job (made on the first, as a worker process
 * makes it); whether it stepped the job (false: not due yet, or leased to another worker).
 */
export const stepSweep = async (h: Harness, owner = 'w1'): Promise<boolean> =>
  (await stepKind(h.deps, SWEEP_JOB_KIND, owner)) > 0;

/** Ticks (ten seconds apart, so the budget refills) until the sweep has finished. */
export async function runSweep(h: Harness, owner = 'w1', maxSteps = 200): Promise<Sweep> {
  for (let i = 0; i < maxSteps; i++) {
    await stepSweep(h, owner);
    const { sweep } = await driftStatus(h.deps, auditor);
    if (sweep?.finishedAt) return sweep;
    h.clock.advance(10_000);
  }
  throw new Error(`sweep not finished after ${maxSteps} steps`);
}

import type { LoadedConfig } from '../../../src/config/load';
import type { Principal } from '../../../src/domain/principal';
import type { Rollout } from '../../../src/workflow/rollout/rollout-document';
import { ROLLOUT_JOB_KIND } from '../../../src/workflow/rollout/rollout-kind';
import { getRollout } from '../../../src/workflow/rollout/rollouts';
import { stepKind } from '../../support/job-steps';
import { EXAMPLE_CONFIG, type Harness } from '../workflow/harness';

export const platform: Principal = { role: 'platform', name: 'platform-engineer' };

/** The example config with the avf-baseline StackSet at version 2 and another parameter. */
export function version2(): LoadedConfig {
  const config = structuredClone(EXAMPLE_CONFIG.config);
  const set = config.stackSets[0];
  if (!set) throw new Error('no StackSet');
  set.version = '2';
  set.parameters = { ...set.parameters, SecurityEmail: 'secops@example.com' };
  return { ...EXAMPLE_CONFIG, config };
}

/** The stored rollouts' versions: they change when a step advanced a rollout. */
export const versions = async (h: Harness) =>
  (await h.store.listDocuments('rollout', { limit: 100 })).items.map((d) => `${d.id}@${d.version}`).join();

/** One tick of `owner`'s worker running rollout jobs; whether it advanced a rollout. */
export async function advanceRollouts(h: Harness, owner: string): Promise<boolean> {
  const before = await versions(h);
  await stepKind(h.deps, ROLLOUT_JOB_KIND, owner);
  return (await versions(h)) !== before;
}

/** Advances until the rollout leaves RUNNING, letting AWS operations finish between steps. */
export async function runRollout(h: Harness, id: string, maxSteps = 100): Promise<Rollout> {
  for (let i = 0; i < maxSteps; i++) {
    const r = await getRollout(h.deps, platform, id);
    if (r.status !== 'RUNNING') return r;
    await advanceRollouts(h, 'w1');
    h.clock.advance(30_000);
  }
  throw new Error(`rollout ${id} still running after ${maxSteps} steps`);
}

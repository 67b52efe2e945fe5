import { jobKinds } from '../../src/workflow/job-kinds';
import type { JobKind } from '../../src/workflow/engine/kind';

/** Kinds tests drive by hand, step by step: a test worker leaves them out unless asked. */
export const BACKGROUND_KINDS = [
  'rollout',
  'drift-sweep',
  'delivery',
  'cost-collection',
  'org-account-index',
];

/** Every registered kind, or (by default) all but the background ones. */
export function testKinds(
  options: { leaseMs?: number; batchSize?: number; background?: boolean } = {},
): Array<JobKind<unknown>> {
  return jobKinds(options).filter((k) => options.background || !BACKGROUND_KINDS.includes(k.name));
}

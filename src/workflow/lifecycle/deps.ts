import type { WorkflowDeps } from '../step';

/**
 * What the lifecycle actions need: the workflow's deps (store with its documents, AWS, config,
 * directory, verifier). `sleep` paces the short in-request polls of Identity Center assignments
 * (tests pass one that returns at once).
 */
export interface LifecycleDeps extends WorkflowDeps {
  sleep?: (ms: number) => Promise<void>;
}

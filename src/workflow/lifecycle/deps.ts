import type { AccessCatalog } from '../intake/access-catalog';
import type { WorkflowDeps } from '../step';

/**
 * What the lifecycle actions need: the workflow's deps (store with its documents, AWS, config,
 * directory, verifier). `sleep` paces drift remediation's short polls of assignment deletions
 * (tests pass one that returns at once). `accessCatalog` answers PATCH's Identity Center pre-flight
 * (without it, each PATCH of access asks Identity Center afresh).
 */
export interface LifecycleDeps extends WorkflowDeps {
  sleep?: (ms: number) => Promise<void>;
  accessCatalog?: AccessCatalog;
}

import type { WorkflowDeps } from './step';

export interface FactoryEvent {
  /** e.g. `Rollout Wave Finished`, `Drift Finding`. */
  detailType: string;
  detail: object;
}

/**
 * Publishes the factory's events on the configured bus. Best effort: an event that cannot be sent
 * never fails the work it reports on (the same facts are in the store); returns whether it went.
 */
export async function publishEvents(deps: WorkflowDeps, events: FactoryEvent[]): Promise<boolean> {
  const busName = deps.config.config.events.busName;
  if (!busName || !deps.aws.events || events.length === 0) return false;
  try {
    await deps.aws.events.publish(busName, events);
    return true;
  } catch {
    return false;
  }
}

import { applyBootstrap } from '../../src/bootstrap';
import type { LoadedConfig } from '../../src/config/load';
import type { FakeAws } from './fake-aws';

/** Runs the real bootstrap (demo mode: groups created) against the in-memory AWS, with no waits. */
export async function bootstrapFake(aws: FakeAws, config: LoadedConfig): Promise<void> {
  await applyBootstrap(config, aws, { createGroups: true, sleep: () => Promise.resolve() });
}

import { changed, unchanged, type Ensure } from './ensure';

/** D-3: EBS snapshots cannot be shared publicly, per region. */
export const snapshotBlockPublicAccess: Ensure = {
  setting: 'snapshot-block-public-access',
  scope: 'region',
  async apply({ port, writeWithoutReading }) {
    const state = writeWithoutReading ? undefined : await port.getSnapshotBlockPublicAccess();
    if (state === 'block-all-sharing') return unchanged('snapshot public sharing already blocked');
    await port.enableSnapshotBlockPublicAccess('block-all-sharing');
    return changed(`snapshot public sharing blocked${state ? ` (was ${state})` : ''}`);
  },
};

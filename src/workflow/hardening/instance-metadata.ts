import { changed, unchanged, type Ensure } from './ensure';

/** G-4: new instances default to IMDSv2 (tokens required), per region. */
export const instanceMetadataDefaults: Ensure = {
  setting: 'imds-v2-defaults',
  scope: 'region',
  async apply({ config, port, writeWithoutReading }) {
    const wanted = { httpTokens: 'required' as const, hopLimit: config.hardening.imdsHopLimit };
    const actual = writeWithoutReading ? undefined : await port.getInstanceMetadataDefaults();
    if (actual?.httpTokens === wanted.httpTokens && actual.hopLimit === wanted.hopLimit) {
      return unchanged('IMDSv2 already required by default');
    }
    await port.putInstanceMetadataDefaults(wanted);
    return changed(`IMDSv2 required by default, hop limit ${wanted.hopLimit}`);
  },
};

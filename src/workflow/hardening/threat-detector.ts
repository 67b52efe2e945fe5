import { changed, unchanged, type Ensure } from './ensure';

/**
 * L-3: one enabled GuardDuty detector per region. Lists before creating: AWS rejects a second
 * detector (moto accepts one, so the look is what keeps a retry from making two).
 */
export const threatDetector: Ensure = {
  setting: 'guardduty-detector',
  scope: 'region',
  async apply({ port }) {
    const detectors = await port.listThreatDetectors();
    if (detectors.some((d) => d.enabled)) return unchanged('GuardDuty detector already enabled');
    const existing = detectors[0];
    if (existing) {
      await port.enableThreatDetector(existing.id);
      return changed(`GuardDuty detector ${existing.id} enabled`);
    }
    return changed(`GuardDuty detector ${await port.createThreatDetector()} created`);
  },
};

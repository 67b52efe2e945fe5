import { changed, unchanged, type Ensure } from './ensure';

/**
 * L-3: one enabled GuardDuty detector per region. Lists before creating: AWS rejects a second
 * detector (moto accepts one, so the look is what keeps a retry from making two). Its handle is
 * the detector's id, which a vend's verification reads directly.
 */
export const threatDetector: Ensure = {
  setting: 'guardduty-detector',
  scope: 'region',
  async apply({ port }) {
    const detectors = await port.listThreatDetectors();
    const enabled = detectors.find((d) => d.enabled);
    if (enabled) return unchanged(`GuardDuty detector ${enabled.id} already enabled`, enabled.id);
    const existing = detectors[0];
    if (existing) {
      await port.enableThreatDetector(existing.id);
      return changed(`GuardDuty detector ${existing.id} enabled`, existing.id);
    }
    const id = await port.createThreatDetector();
    return changed(`GuardDuty detector ${id} created`, id);
  },
};

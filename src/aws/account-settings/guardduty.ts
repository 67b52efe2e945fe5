import {
  CreateDetectorCommand,
  GetDetectorCommand,
  paginateListDetectors,
  UpdateDetectorCommand,
  type GuardDutyClient,
} from '@aws-sdk/client-guardduty';
import type { ThreatDetector } from '../../domain/ports/account-settings';
import { call, callTolerating } from '../errors';
import { Pages } from '../pagination';

/** GuardDuty in a member account and region: its detector (AWS allows one per region). */
export class MemberGuardDutyAdapter {
  private readonly pages: Pages<GuardDutyClient>;

  constructor(
    private readonly client: GuardDutyClient,
    maxPages?: number,
  ) {
    this.pages = new Pages(client, maxPages);
  }

  /** guardduty:ListDetectors, guardduty:GetDetector */
  async listThreatDetectors(): Promise<ThreatDetector[]> {
    const ids = await this.pages.collect(
      'guardduty:ListDetectors',
      paginateListDetectors,
      {},
      (p) => p.DetectorIds,
    );
    const detectors: ThreatDetector[] = [];
    for (const id of ids) {
      const out = await call('guardduty:GetDetector', () =>
        this.client.send(new GetDetectorCommand({ DetectorId: id })),
      );
      detectors.push({ id, enabled: out.Status === 'ENABLED' });
    }
    return detectors;
  }

  /**
   * guardduty:GetDetector — undefined for an id the account does not own (GuardDuty answers
   * BadRequestException: "the input detectorId is not owned by the current account").
   */
  async getThreatDetector(detectorId: string): Promise<ThreatDetector | undefined> {
    const out = await callTolerating('guardduty:GetDetector', ['BadRequestException'], () =>
      this.client.send(new GetDetectorCommand({ DetectorId: detectorId })),
    );
    return out ? { id: detectorId, enabled: out.Status === 'ENABLED' } : undefined;
  }

  /** guardduty:CreateDetector (enabled) */
  async createThreatDetector(): Promise<string> {
    const out = await call('guardduty:CreateDetector', () =>
      this.client.send(new CreateDetectorCommand({ Enable: true })),
    );
    return out.DetectorId ?? '';
  }

  /** guardduty:UpdateDetector (enable) */
  async enableThreatDetector(detectorId: string): Promise<void> {
    await call('guardduty:UpdateDetector', () =>
      this.client.send(new UpdateDetectorCommand({ DetectorId: detectorId, Enable: true })),
    );
  }
}

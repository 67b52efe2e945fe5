import {
  CreateTrailCommand,
  DescribeTrailsCommand,
  GetTrailStatusCommand,
  StartLoggingCommand,
  UpdateTrailCommand,
  type CloudTrailClient,
} from '@aws-sdk/client-cloudtrail';
import type { OrganizationTrail, TrailSettings } from '../../domain/ports/org-services';
import { call, callTolerating } from '../errors';

const trailFlags = (s: TrailSettings) => ({
  Name: s.name,
  S3BucketName: s.bucketName,
  KmsKeyId: s.kmsKeyArn,
  IsOrganizationTrail: true,
  IsMultiRegionTrail: true,
  IncludeGlobalServiceEvents: true,
  EnableLogFileValidation: true,
});

/** CloudTrail in the management account: the organisation trail. */
export class CloudTrailAdapter {
  constructor(private readonly client: CloudTrailClient) {}

  /** cloudtrail:DescribeTrails, cloudtrail:GetTrailStatus — undefined when there is no such trail. */
  async findTrail(name: string): Promise<OrganizationTrail | undefined> {
    const out = await callTolerating('cloudtrail:DescribeTrails', ['TrailNotFoundException'], () =>
      this.client.send(new DescribeTrailsCommand({ trailNameList: [name], includeShadowTrails: false })),
    );
    const trail = out?.trailList?.find((t) => t.Name === name || t.TrailARN === name);
    if (!trail) return undefined;
    const status = await call('cloudtrail:GetTrailStatus', () =>
      this.client.send(new GetTrailStatusCommand({ Name: trail.TrailARN ?? name })),
    );
    return {
      name,
      bucketName: trail.S3BucketName ?? '',
      ...(trail.KmsKeyId ? { kmsKeyId: trail.KmsKeyId } : {}),
      isOrganizationTrail: trail.IsOrganizationTrail ?? false,
      isMultiRegionTrail: trail.IsMultiRegionTrail ?? false,
      logFileValidationEnabled: trail.LogFileValidationEnabled ?? false,
      isLogging: status.IsLogging ?? false,
    };
  }

  /** cloudtrail:CreateTrail, cloudtrail:StartLogging — a trail of that name existing is updated instead. */
  async createOrganizationTrail(settings: TrailSettings): Promise<void> {
    const created = await callTolerating('cloudtrail:CreateTrail', ['TrailAlreadyExistsException'], () =>
      this.client.send(new CreateTrailCommand(trailFlags(settings))),
    );
    if (created === undefined) return this.updateOrganizationTrail(settings);
    await this.startLogging(settings.name);
  }

  /** cloudtrail:UpdateTrail, cloudtrail:StartLogging */
  async updateOrganizationTrail(settings: TrailSettings): Promise<void> {
    await call('cloudtrail:UpdateTrail', () =>
      this.client.send(new UpdateTrailCommand(trailFlags(settings))),
    );
    await this.startLogging(settings.name);
  }

  /** cloudtrail:StartLogging — idempotent. */
  private async startLogging(name: string): Promise<void> {
    await call('cloudtrail:StartLogging', () => this.client.send(new StartLoggingCommand({ Name: name })));
  }
}

import {
  DescribeConfigurationRecordersCommand,
  DescribeConfigurationRecorderStatusCommand,
  DescribeDeliveryChannelsCommand,
  PutConfigurationRecorderCommand,
  PutDeliveryChannelCommand,
  StartConfigurationRecorderCommand,
  type ConfigServiceClient,
} from '@aws-sdk/client-config-service';
import type {
  ConfigRecorder,
  ConfigRecorderStatus,
  DeliveryChannel,
} from '../../domain/ports/account-settings';
import { call } from '../errors';

/** AWS Config in a member account and region: the recorder (one per region) and its delivery channel. */
export class MemberConfigAdapter {
  constructor(private readonly client: ConfigServiceClient) {}

  /** config:DescribeConfigurationRecorders */
  async listConfigRecorders(): Promise<ConfigRecorder[]> {
    const out = await call('config:DescribeConfigurationRecorders', () =>
      this.client.send(new DescribeConfigurationRecordersCommand({})),
    );
    return (out.ConfigurationRecorders ?? []).map((r) => ({
      name: r.name ?? '',
      roleArn: r.roleARN ?? '',
      allSupported: r.recordingGroup?.allSupported ?? false,
      includeGlobalResourceTypes: r.recordingGroup?.includeGlobalResourceTypes ?? false,
    }));
  }

  /** config:PutConfigurationRecorder (and iam:PassRole of the service-linked role) */
  async putConfigRecorder(recorder: ConfigRecorder): Promise<void> {
    await call('config:PutConfigurationRecorder', () =>
      this.client.send(
        new PutConfigurationRecorderCommand({
          ConfigurationRecorder: {
            name: recorder.name,
            roleARN: recorder.roleArn,
            recordingGroup: {
              allSupported: recorder.allSupported,
              includeGlobalResourceTypes: recorder.includeGlobalResourceTypes,
            },
          },
        }),
      ),
    );
  }

  /** config:DescribeConfigurationRecorderStatus */
  async listConfigRecorderStatuses(): Promise<ConfigRecorderStatus[]> {
    const out = await call('config:DescribeConfigurationRecorderStatus', () =>
      this.client.send(new DescribeConfigurationRecorderStatusCommand({})),
    );
    return (out.ConfigurationRecordersStatus ?? []).map((s) => ({
      name: s.name ?? '',
      recording: s.recording ?? false,
      ...(s.lastStatus ? { lastStatus: s.lastStatus } : {}),
    }));
  }

  /** config:StartConfigurationRecorder */
  async startConfigRecorder(name: string): Promise<void> {
    await call('config:StartConfigurationRecorder', () =>
      this.client.send(new StartConfigurationRecorderCommand({ ConfigurationRecorderName: name })),
    );
  }

  /** config:DescribeDeliveryChannels */
  async listDeliveryChannels(): Promise<DeliveryChannel[]> {
    const out = await call('config:DescribeDeliveryChannels', () =>
      this.client.send(new DescribeDeliveryChannelsCommand({})),
    );
    return (out.DeliveryChannels ?? []).map((c) => ({
      name: c.name ?? '',
      bucketName: c.s3BucketName ?? '',
    }));
  }

  /** config:PutDeliveryChannel */
  async putDeliveryChannel(channel: DeliveryChannel): Promise<void> {
    await call('config:PutDeliveryChannel', () =>
      this.client.send(
        new PutDeliveryChannelCommand({
          DeliveryChannel: { name: channel.name, s3BucketName: channel.bucketName },
        }),
      ),
    );
  }
}

import {
  CONFIG_RECORDER_NAME,
  DELIVERY_CHANNEL_NAME,
  recorderProblems,
  recordsGlobalTypes,
} from '../../domain/hardening';
import type { AccountSettingsPort } from '../../domain/ports/account-settings';
import { changed, unchanged, type Ensure } from './ensure';

/**
 * AWS Config's service-linked role, created once per account when the first recorder needs it.
 * IAM is account-wide: when another create wins (another worker's harden, or a region hardened
 * without the shared lookup; AWS answers InvalidInput, "role name has been taken"), its role is
 * the one to use.
 */
export async function configServiceRole(port: AccountSettingsPort): Promise<string> {
  const found = await port.findConfigServiceRoleArn();
  if (found) return found;
  try {
    return await port.createConfigServiceRole();
  } catch (e) {
    const made = await port.findConfigServiceRoleArn();
    if (made) return made;
    throw e;
  }
}

/**
 * L-2: a recorder of all supported resources, delivering to the central bucket, recording — per
 * region. AWS allows one recorder and one delivery channel per region, so existing ones (any name)
 * are adopted and updated rather than a second created; that is also why this is not a StackSet.
 */
export const configRecorder: Ensure = {
  setting: 'config-recorder',
  scope: 'region',
  async apply({ config, port, configBucket, configServiceRole: sharedRole, writeWithoutReading }) {
    const done: string[] = [];
    const includeGlobal = recordsGlobalTypes(config, port.region);
    const existing = (await port.listConfigRecorders())[0];
    const name = existing?.name ?? CONFIG_RECORDER_NAME;
    const problems = recorderProblems(existing, includeGlobal);
    if (problems.length > 0 || !existing?.roleArn) {
      await port.putConfigRecorder({
        name,
        roleArn: existing?.roleArn || (await (sharedRole ?? configServiceRole)(port)),
        allSupported: true,
        includeGlobalResourceTypes: includeGlobal,
      });
      done.push(existing ? `recorder ${name} updated (${problems.join(', ')})` : `recorder ${name} created`);
    }
    const channel = (await port.listDeliveryChannels())[0];
    if (channel?.bucketName !== configBucket) {
      const channelName = channel?.name ?? DELIVERY_CHANNEL_NAME;
      await port.putDeliveryChannel({ name: channelName, bucketName: configBucket });
      done.push(`delivery channel ${channelName} → ${configBucket}`);
    }
    // starting a recorder that records already changes nothing, so a vend starts it unread
    const recording =
      !writeWithoutReading &&
      (await port.listConfigRecorderStatuses()).find((s) => s.name === name)?.recording === true;
    if (!recording) {
      await port.startConfigRecorder(name);
      done.push(`recorder ${name} started`);
    }
    return done.length === 0
      ? unchanged(`recorder ${name} already recording to ${configBucket}`)
      : changed(done.join(', '));
  },
};

import {
  CONFIG_RECORDER_NAME,
  DELIVERY_CHANNEL_NAME,
  recorderProblems,
  recordsGlobalTypes,
} from '../../domain/hardening';
import { AwsError } from '../../domain/errors';
import type { AccountSettingsPort } from '../../domain/ports/account-settings';
import { changed, unchanged, type Ensure, type HardeningContext } from './ensure';

/**
 * AWS Config's service-linked role, created once per account when the first recorder needs it.
 * IAM is account-wide: when another create wins (another worker's harden, or a region hardened
 * without the shared lookup; AWS answers InvalidInput, "role name has been taken"), its role is
 * the one to use. `createFirst` (a vend's new account, which has none yet) skips the first look.
 */
export async function configServiceRole(port: AccountSettingsPort, createFirst = false): Promise<string> {
  const found = createFirst ? undefined : await port.findConfigServiceRoleArn();
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
  async apply(ctx) {
    const written = ctx.writeWithoutReading ? await writeUnread(ctx) : undefined;
    return written ?? adopt(ctx);
  },
};

/** AWS's answer when a region already holds a recorder or a delivery channel of another name. */
const TAKEN = [
  'MaxNumberOfConfigurationRecordersExceededException',
  'MaxNumberOfDeliveryChannelsExceededException',
];

/**
 * The vend: a new account holds no recorder, so ours is written (and started) without listing
 * first. When the region holds one of another name after all, AWS refuses the second and the
 * caller adopts the existing one instead (undefined).
 */
async function writeUnread({ config, port, configBucket, configServiceRole: sharedRole }: HardeningContext) {
  try {
    await port.putConfigRecorder({
      name: CONFIG_RECORDER_NAME,
      roleArn: await (sharedRole ?? ((p) => configServiceRole(p, true)))(port),
      allSupported: true,
      includeGlobalResourceTypes: recordsGlobalTypes(config, port.region),
    });
    await port.putDeliveryChannel({ name: DELIVERY_CHANNEL_NAME, bucketName: configBucket });
  } catch (e) {
    if (e instanceof AwsError && TAKEN.includes(e.awsCode)) return undefined;
    throw e;
  }
  await port.startConfigRecorder(CONFIG_RECORDER_NAME);
  return changed(
    `recorder ${CONFIG_RECORDER_NAME} written, delivery channel ${DELIVERY_CHANNEL_NAME} → ${configBucket}, recorder started`,
  );
}

/** Existing recorders and channels (any name) are adopted and updated rather than a second created. */
async function adopt({
  config,
  port,
  configBucket,
  configServiceRole: sharedRole,
  writeWithoutReading,
}: HardeningContext) {
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
}

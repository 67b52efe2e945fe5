import { CONFIG_RECORDER_NAME } from '../../../src/domain/hardening';
import { configBucketName } from '../../../src/domain/names';
import { ENSURES, harden } from '../../../src/workflow/hardening';
import { configRecorder } from '../../../src/workflow/hardening/config-recorder';
import { defaultVpcRemoved } from '../../../src/workflow/hardening/default-vpc';
import type { Ensure, HardeningContext } from '../../../src/workflow/hardening/ensure';
import { threatDetector } from '../../../src/workflow/hardening/threat-detector';
import { FakeAws } from '../../support/fake-aws';
import { EXAMPLE_CONFIG } from '../workflow/harness';

const ACCOUNT = '210987654321';
const BUCKET = configBucketName('111122223333');
const config = EXAMPLE_CONFIG.config;

async function setup(region = config.homeRegion) {
  const aws = new FakeAws();
  const port = await aws.memberAccount(ACCOUNT, region);
  const ctx: HardeningContext = { config, port, configBucket: BUCKET };
  const writes = () =>
    Object.entries(aws.calls)
      .filter(([m]) => /^(put|enable|create|delete|start)/.test(m))
      .reduce((n, [, c]) => n + c, 0);
  return { aws, ctx, writes, member: aws.memberAccounts };
}

/** The home region holding another tool's recorder (not recording all types) and delivery channel. */
function withLandingZoneRecorder(member: Awaited<ReturnType<typeof setup>>['member']) {
  const region = member.region(ACCOUNT, config.homeRegion);
  region.recorders.push({
    name: 'landing-zone',
    roleArn: 'arn:aws:iam::210987654321:role/lz-config',
    allSupported: false,
    includeGlobalResourceTypes: false,
  });
  region.channels.push({ name: 'lz-channel', bucketName: 'old-bucket' });
  return region;
}

describe('hardening ensures on a new account', () => {
  it.each(ENSURES.map((e) => [e.setting, e] as const))(
    '%s: applies on a new account, then finds it held and writes nothing',
    async (_setting, ensure: Ensure) => {
      const { ctx, writes } = await setup();
      const first = await ensure.apply(ctx);
      expect(first.changed).toBe(true);
      const before = writes();
      const second = await ensure.apply(ctx);
      expect(second.changed).toBe(false);
      expect(writes()).toBe(before);
    },
  );

  it('sets the configured password policy, contacts and all four S3 switches', async () => {
    const { aws, ctx, member } = await setup();
    await harden(ctx, { includeAccountWide: true, emulator: false });
    const acct = member.account(ACCOUNT);
    expect(acct.passwordPolicy).toEqual(
      expect.objectContaining({ minimumLength: 14, reusePrevention: 24, maxAgeDays: 90 }),
    );
    expect(acct.publicAccessBlock).toEqual({
      blockPublicAcls: true,
      ignorePublicAcls: true,
      blockPublicPolicy: true,
      restrictPublicBuckets: true,
    });
    expect([...acct.contacts.keys()].sort()).toEqual(['BILLING', 'OPERATIONS', 'SECURITY']);
    expect(acct.contacts.get('SECURITY')?.email).toBe('security@example.com');
    const region = member.region(ACCOUNT, config.homeRegion);
    expect(region.imds).toEqual({ httpTokens: 'required', hopLimit: 2 });
    expect(region.snapshotAccess).toBe('block-all-sharing');
    expect(region.ebsEncryption).toBe(true);
    expect(aws.calls.putAlternateContact).toBe(3);
  });

  it('hardens two regions side by side: both recorders run as the one service-linked role', async () => {
    const { aws, ctx } = await setup();
    const other = { ...ctx, port: await aws.memberAccount(ACCOUNT, 'eu-west-1') };
    const [home, eu] = await Promise.all([
      harden(ctx, { includeAccountWide: true, emulator: false }),
      harden(other, { includeAccountWide: false, emulator: false }),
    ]);
    expect([...home, ...eu].filter((o) => o.setting === 'config-recorder').map((o) => o.result)).toEqual([
      'applied',
      'applied',
    ]);
    expect(aws.calls.createConfigServiceRole).toBe(2);
  });

  it('rewrites only the contact that drifted', async () => {
    const { aws, ctx, member } = await setup();
    await harden(ctx, { includeAccountWide: true, emulator: false });
    member
      .account(ACCOUNT)
      .contacts.set('BILLING', { name: 'x', email: 'x@example.com', phone: '1', title: 'x' });
    const again = await harden(ctx, { includeAccountWide: true, emulator: false });
    expect(aws.calls.putAlternateContact).toBe(4);
    expect(again.find((o) => o.setting === 'alternate-contacts')?.detail).toBe(
      'alternate contacts set: BILLING',
    );
  });

  it('removes a default VPC with subnets (one a zone: six in us-east-1) AND an internet gateway entirely', async () => {
    const { ctx, member } = await setup();
    const vpc = member.region(ACCOUNT, config.homeRegion).defaultVpcs[0]!;
    vpc.securityGroups.push('sg-extra');
    expect(vpc.subnets.length).toBeGreaterThan(0);
    expect(vpc.internetGateways).toHaveLength(1);
    const r = await defaultVpcRemoved.apply(ctx);
    expect(r.detail).toContain(`${vpc.id} (6 subnets, 1 internet gateways, 1 security groups`);
    expect(await ctx.port.listDefaultVpcIds()).toEqual([]);
  });

  it('keeps the default VPC when remediation is off', async () => {
    const { ctx } = await setup();
    const off = { ...config, hardening: { ...config.hardening, remediate: { deleteDefaultVpcs: false } } };
    const r = await defaultVpcRemoved.apply({ ...ctx, config: off });
    expect(r).toEqual(expect.objectContaining({ changed: false }));
    expect(await ctx.port.listDefaultVpcIds()).toHaveLength(1);
  });

  it('adopts a pre-existing recorder with another name instead of creating a second one', async () => {
    const { aws, ctx, member } = await setup();
    const region = withLandingZoneRecorder(member);
    const r = await configRecorder.apply(ctx);
    expect(r.detail).toMatch(/recorder landing-zone updated/);
    expect(region.recorders).toEqual([
      {
        name: 'landing-zone',
        roleArn: 'arn:aws:iam::210987654321:role/lz-config',
        allSupported: true,
        includeGlobalResourceTypes: true,
      },
    ]);
    expect(region.channels).toEqual([{ name: 'lz-channel', bucketName: BUCKET }]);
    expect(region.recording.get('landing-zone')).toBe(true);
    expect(aws.calls.createConfigServiceRole).toBeUndefined();
  });

  it('in a vend (writing without reading what one idempotent call sets) starts the recorder unread', async () => {
    const { aws, ctx, member } = await setup();
    await configRecorder.apply({ ...ctx, writeWithoutReading: true });
    expect(member.region(ACCOUNT, config.homeRegion).recording.get(CONFIG_RECORDER_NAME)).toBe(true);
    expect(aws.calls.listConfigRecorderStatuses).toBeUndefined();
    // already recording: started again, which changes nothing; still no read
    await configRecorder.apply({ ...ctx, writeWithoutReading: true });
    expect(aws.calls.startConfigRecorder).toBe(2);
    expect(aws.calls.listConfigRecorderStatuses).toBeUndefined();
    expect(member.region(ACCOUNT, config.homeRegion).recording.get(CONFIG_RECORDER_NAME)).toBe(true);
  });

  it('in a vend writes the recorder, channel and role without listing them first in a new account', async () => {
    const { aws, ctx, member } = await setup();
    const r = await configRecorder.apply({ ...ctx, writeWithoutReading: true });
    expect(r.changed).toBe(true);
    const region = member.region(ACCOUNT, config.homeRegion);
    expect(region.recorders).toEqual([
      expect.objectContaining({
        name: CONFIG_RECORDER_NAME,
        allSupported: true,
        includeGlobalResourceTypes: true,
      }),
    ]);
    expect(region.recorders[0]?.roleArn).toMatch(/AWSServiceRoleForConfig$/);
    expect(region.channels).toEqual([{ name: 'default', bucketName: BUCKET }]);
    expect(region.recording.get(CONFIG_RECORDER_NAME)).toBe(true);
    expect(aws.calls.listConfigRecorders).toBeUndefined();
    expect(aws.calls.listDeliveryChannels).toBeUndefined();
    expect(aws.calls.findConfigServiceRoleArn).toBeUndefined();
    expect(aws.calls.createConfigServiceRole).toBe(1);
  });

  it('in a vend adopts a recorder of another name: AWS refuses a second, so it lists and updates that one', async () => {
    const { ctx, member } = await setup();
    const region = withLandingZoneRecorder(member);
    const r = await configRecorder.apply({ ...ctx, writeWithoutReading: true });
    expect(r.detail).toMatch(/recorder landing-zone updated/);
    expect(region.recorders.map((x) => x.name)).toEqual(['landing-zone']);
    expect(region.recorders[0]?.allSupported).toBe(true);
    expect(region.channels).toEqual([{ name: 'lz-channel', bucketName: BUCKET }]);
    expect(region.recording.get('landing-zone')).toBe(true);
  });

  it('in a vend uses the service-linked role a create finds already there', async () => {
    const { aws, ctx, member } = await setup();
    const existing = `arn:aws:iam::${ACCOUNT}:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig`;
    member.account(ACCOUNT).configRoleArn = existing;
    await configRecorder.apply({ ...ctx, writeWithoutReading: true });
    expect(member.region(ACCOUNT, config.homeRegion).recorders[0]?.roleArn).toBe(existing);
    // the create was refused (role name taken), then the role was found
    expect(aws.calls.createConfigServiceRole).toBe(1);
    expect(aws.calls.findConfigServiceRoleArn).toBe(1);
  });

  it('creates the recorder "default" with the service-linked role; global types only in the home region', async () => {
    const home = await setup(config.homeRegion);
    await configRecorder.apply(home.ctx);
    const other = config.governedRegions.find((r) => r !== config.homeRegion)!;
    const port = await home.aws.memberAccount(ACCOUNT, other);
    await configRecorder.apply({ ...home.ctx, port });
    const homeRec = home.member.region(ACCOUNT, config.homeRegion).recorders[0];
    const otherRec = home.member.region(ACCOUNT, other).recorders[0];
    expect(homeRec).toEqual(
      expect.objectContaining({ name: CONFIG_RECORDER_NAME, includeGlobalResourceTypes: true }),
    );
    expect(homeRec?.roleArn).toMatch(/AWSServiceRoleForConfig$/);
    expect(otherRec).toEqual(
      expect.objectContaining({ allSupported: true, includeGlobalResourceTypes: false }),
    );
    // the service-linked role is account-wide: created once
    expect(home.aws.calls.createConfigServiceRole).toBe(1);
  });

  it('enables an existing disabled GuardDuty detector rather than creating another', async () => {
    const { aws, ctx, member } = await setup();
    member.region(ACCOUNT, config.homeRegion).detectors.push({ id: 'det-old', enabled: false });
    const r = await threatDetector.apply(ctx);
    expect(r.detail).toBe('GuardDuty detector det-old enabled');
    expect(aws.calls.createThreatDetector).toBeUndefined();
    expect(member.region(ACCOUNT, config.homeRegion).detectors).toEqual([{ id: 'det-old', enabled: true }]);
  });

  it('skips account-wide settings outside the home region', async () => {
    const { aws, ctx } = await setup();
    const outcomes = await harden(ctx, { includeAccountWide: false, emulator: false });
    expect(outcomes.every((o) => o.region === config.homeRegion)).toBe(true);
    expect(aws.calls.getPasswordPolicy).toBeUndefined();
  });
});

describe('hardening: APIs the emulator lacks', () => {
  it('records a gap on an emulator and goes on with the other settings', async () => {
    const { ctx, member } = await setup();
    member.unimplemented.add('getInstanceMetadataDefaults');
    member.unimplemented.add('enableSnapshotBlockPublicAccess');
    const outcomes = await harden(ctx, { includeAccountWide: true, emulator: true });
    expect(outcomes.filter((o) => o.result === 'gap')).toEqual([
      expect.objectContaining({
        setting: 'snapshot-block-public-access',
        detail: 'enableSnapshotBlockPublicAccess is not implemented',
      }),
      expect.objectContaining({
        setting: 'imds-v2-defaults',
        detail: 'getInstanceMetadataDefaults is not implemented',
      }),
    ]);
    expect(outcomes.find((o) => o.setting === 'guardduty-detector')?.result).toBe('applied');
  });

  it('fails on real AWS with the setting, region and account named', async () => {
    const { ctx, member } = await setup();
    member.unimplemented.add('enableSnapshotBlockPublicAccess');
    await expect(harden(ctx, { includeAccountWide: true, emulator: false })).rejects.toMatchObject({
      code: 'HARDENING_FAILED',
      message: expect.stringContaining(
        `snapshot-block-public-access (${config.homeRegion}) in account ${ACCOUNT}`,
      ),
    });
  });

  it('lets a retryable error through for the reconciler to retry', async () => {
    const { aws, ctx } = await setup();
    aws.throttle('putPasswordPolicy');
    await expect(harden(ctx, { includeAccountWide: true, emulator: false })).rejects.toMatchObject({
      code: 'AWS_ThrottlingException',
      retryable: true,
    });
  });
});

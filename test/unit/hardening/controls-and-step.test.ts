import { configBucketName } from '../../../src/domain/names';
import { ACCOUNT_SETTINGS_CONTROLS } from '../../../src/verify/controls/account-settings';
import { Verifier } from '../../../src/verify/verifier';
import { harden } from '../../../src/workflow/hardening';
import { OrgDirectory } from '../../../src/domain/org-directory';
import { FakeAws } from '../../support/fake-aws';
import { EXAMPLE_CONFIG, harness, submit } from '../workflow/harness';

const ACCOUNT = '210987654321';
const config = EXAMPLE_CONFIG.config;
const target = { accountId: ACCOUNT, spec: { access: [] } as never };

function verifier(aws: FakeAws, emulator = false) {
  return new Verifier(
    ACCOUNT_SETTINGS_CONTROLS,
    { aws, config: EXAMPLE_CONFIG, directory: new OrgDirectory(aws) },
    emulator,
  );
}

async function hardened(): Promise<FakeAws> {
  const aws = new FakeAws();
  for (const region of config.governedRegions) {
    const port = await aws.memberAccount(ACCOUNT, region);
    await harden(
      { config, port, configBucket: configBucketName('111122223333') },
      { includeAccountWide: region === config.homeRegion, emulator: false },
    );
  }
  return aws;
}

describe('account settings controls', () => {
  it('all PASS on a hardened account, regional ones once per governed region, with evidence', async () => {
    const { results } = await verifier(await hardened()).verify(target, new Date());
    expect(results.filter((r) => r.status !== 'PASS')).toEqual([]);
    expect(results.filter((r) => r.id === 'D-2').map((r) => r.region)).toEqual(config.governedRegions);
    expect(results.find((r) => r.id === 'IAM-3')?.evidence).toBe('AccountAccessKeysPresent: 0');
    for (const control of ACCOUNT_SETTINGS_CONTROLS) {
      expect(control.seeds?.length).toBeGreaterThan(0);
      expect(control.enforcedBy).toBeDefined();
    }
  });

  it('FAIL on a new, untouched account, saying what is wrong', async () => {
    const { results } = await verifier(new FakeAws()).verify(target, new Date());
    const failing = (id: string) =>
      results.filter((r) => r.id === id && r.status === 'FAIL').map((r) => r.evidence);
    expect(failing('IAM-4')).toEqual(['password policy not set']);
    expect(failing('D-1')).toEqual(['account public access block not set']);
    expect(failing('D-2')).toEqual(config.governedRegions.map(() => 'EBS encryption by default is off'));
    expect(failing('G-4')[0]).toBe('HttpTokens is no-preference, not required');
    expect(failing('N-1')[0]).toMatch(/^default VPC present: vpc-/);
    expect(failing('L-2')[0]).toBe('no configuration recorder');
    expect(failing('L-3')[0]).toBe('no GuardDuty detector');
    expect(failing('A-1')[0]).toMatch(/^SECURITY: not set/);
    expect(results.filter((r) => ['IAM-1', 'IAM-2', 'IAM-3'].includes(r.id)).map((r) => r.status)).toEqual([
      'PASS',
      'PASS',
      'PASS',
    ]);
  });

  it('FAIL for IAM users, their access keys and root keys', async () => {
    const aws = await hardened();
    const acct = aws.memberAccounts.account(ACCOUNT);
    acct.users.set('ci-bot', ['AKIAEXAMPLE']);
    acct.rootAccessKeys = 1;
    const { results } = await verifier(aws).verify(target, new Date());
    const byId = (id: string) => results.find((r) => r.id === id);
    expect(byId('IAM-1')).toEqual(expect.objectContaining({ status: 'FAIL', evidence: 'IAM users: ci-bot' }));
    expect(byId('IAM-2')?.evidence).toBe('ci-bot has access keys AKIAEXAMPLE');
    expect(byId('IAM-3')?.evidence).toBe('AccountAccessKeysPresent: 1');
  });

  it('FAIL when a recorder stopped, or global types are recorded outside the home region', async () => {
    const aws = await hardened();
    const other = config.governedRegions.find((r) => r !== config.homeRegion)!;
    aws.memberAccounts.region(ACCOUNT, config.homeRegion).recording.set('default', false);
    aws.memberAccounts.region(ACCOUNT, other).recorders[0]!.includeGlobalResourceTypes = true;
    const { results } = await verifier(aws).verify(target, new Date());
    expect(results.filter((r) => r.id === 'L-2').map((r) => [r.region, r.status, r.evidence])).toEqual([
      [config.homeRegion, 'FAIL', 'recorder default is not recording'],
      [other, 'FAIL', 'includeGlobalResourceTypes: true ≠ false'],
    ]);
  });

  it('an API the emulator lacks is ERROR per region, tolerated only on an emulator', async () => {
    const aws = await hardened();
    aws.memberAccounts.unimplemented.add('getSnapshotBlockPublicAccess');
    const onMoto = verifier(aws, true);
    const { results } = await onMoto.verify(target, new Date());
    expect(results.filter((r) => r.id === 'D-3').map((r) => r.status)).toEqual(['ERROR', 'ERROR']);
    expect(onMoto.blocking(results)).toEqual([]);
    expect(verifier(aws, false).blocking(results)).toHaveLength(2);
  });
});

describe('L-3 with the detectors hardening left', () => {
  const l3 = (results: { id: string; status: string; evidence: string }[]) =>
    results.filter((r) => r.id === 'L-3').map((r) => `${r.status}: ${r.evidence}`);

  it('reads each known detector with one GetDetector, listing none', async () => {
    const aws = await hardened();
    const threatDetectors: Record<string, string> = {};
    for (const region of config.governedRegions)
      threatDetectors[region] = aws.memberAccounts.region(ACCOUNT, region).detectors[0]!.id;
    for (const method of Object.keys(aws.calls)) delete aws.calls[method];
    const { results } = await verifier(aws).verify({ ...target, threatDetectors }, new Date());
    expect(l3(results)).toEqual(
      config.governedRegions.map((r) => `PASS: detector ${threatDetectors[r]} enabled`),
    );
    expect(aws.calls['getThreatDetector']).toBe(config.governedRegions.length);
    expect(aws.calls['listThreatDetectors']).toBeUndefined();
  });

  it('lists the region when the known detector is gone or disabled, and judges what it finds', async () => {
    const aws = await hardened();
    const [gone, disabled] = config.governedRegions;
    const goneRegion = aws.memberAccounts.region(ACCOUNT, gone!);
    const replacement = goneRegion.detectors[0]!.id;
    goneRegion.detectors[0]!.enabled = true;
    const disabledRegion = aws.memberAccounts.region(ACCOUNT, disabled!);
    disabledRegion.detectors[0]!.enabled = false;
    const threatDetectors = { [gone!]: 'det-replaced-since', [disabled!]: disabledRegion.detectors[0]!.id };
    for (const method of Object.keys(aws.calls)) delete aws.calls[method];
    const { results } = await verifier(aws).verify({ ...target, threatDetectors }, new Date());
    expect(l3(results)).toEqual([
      `PASS: detector ${replacement} enabled`,
      'FAIL: GuardDuty detector disabled',
    ]);
    expect(aws.calls['listThreatDetectors']).toBe(2);
  });
});

describe('the harden phase in a vend', () => {
  it('runs after await-access and before baseline, and records emulator gaps in its detail', async () => {
    const h = await harness();
    h.aws.memberAccounts.unimplemented.add('putInstanceMetadataDefaults');
    h.aws.memberAccounts.unimplemented.add('enableSnapshotBlockPublicAccess');
    Object.assign(h.deps, {
      verifier: new Verifier([], { aws: h.aws, config: EXAMPLE_CONFIG, directory: h.deps.directory }, true),
    });
    const req = await submit(h);
    const done = await h.runToEnd(req.id);
    expect(done.status).toBe('READY');
    const names = done.steps.map((s) => s.name);
    expect(names.indexOf('harden')).toBe(names.indexOf('await-access') + 1);
    expect(names.indexOf('baseline')).toBe(names.indexOf('harden') + 1);
    const detail = done.steps.find((s) => s.name === 'harden')?.detail ?? '';
    expect(detail).toMatch(
      /not applied, emulator lacks the API: .*imds-v2-defaults@us-east-1 \(putInstanceMetadataDefaults is not implemented\)/,
    );
    expect(detail).toContain('snapshot-block-public-access@eu-west-1');
    const home = h.aws.memberAccounts.region(done.accountId!, config.homeRegion);
    expect(home.channels).toEqual([
      { name: 'default', bucketName: expect.stringMatching(/^avf-config-\d{12}$/) },
    ]);
  });

  it("creates AWS Config's role once for all the regions, without looking for it first in a new account", async () => {
    const h = await harness();
    const req = await submit(h);
    const done = await h.runToEnd(req.id);
    expect(done.status).toBe('READY');
    expect(config.governedRegions.length).toBeGreaterThan(1);
    expect(h.aws.calls['createConfigServiceRole']).toBe(1);
    // the detectors it created are kept, and the verification read them without listing again
    for (const region of config.governedRegions)
      expect(done.handles.threatDetectors?.[region]).toBe(
        h.aws.memberAccounts.region(done.accountId!, region).detectors[0]!.id,
      );
    expect(h.aws.calls['listThreatDetectors']).toBe(config.governedRegions.length);
    expect(h.aws.calls['getThreatDetector']).toBe(config.governedRegions.length);
    expect(h.aws.calls['findConfigServiceRoleArn']).toBeUndefined();
    for (const region of config.governedRegions)
      expect(h.aws.memberAccounts.region(done.accountId!, region).recorders[0]?.roleArn).toMatch(
        /:role\/aws-service-role\/config\.amazonaws\.com\/AWSServiceRoleForConfig$/,
      );
  });

  it('on real AWS a missing API fails the request at harden with a clear message', async () => {
    const h = await harness();
    h.aws.memberAccounts.unimplemented.add('putInstanceMetadataDefaults');
    const req = await submit(h);
    const done = await h.runToEnd(req.id);
    expect(done.status).toBe('FAILED');
    expect(done.error).toEqual(
      expect.objectContaining({
        code: 'HARDENING_FAILED',
        phase: 'harden',
        message: expect.stringContaining(
          `imds-v2-defaults (${config.homeRegion}) in account ${done.accountId}`,
        ),
      }),
    );
  });
});

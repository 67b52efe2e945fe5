import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { planBootstrap } from '../../../src/bootstrap';
import { desiredFoundation } from '../../../src/bootstrap/desired';
import { policyTemplateValues } from '../../../src/bootstrap/names';
import { MAX_SCP_CHARACTERS, renderPolicyTemplate } from '../../../src/bootstrap/policy-rules';
import { ValidationError } from '../../../src/domain/errors';
import { FakeAws } from '../../support/fake-aws';
import { example, REPO, variant } from './config-fixture';

const SCP_DIR = join(REPO, 'stacksets/scp');
const files = readdirSync(SCP_DIR).filter((f) => f.endsWith('.json'));

/** A config with one extra SCP document, attached nowhere. */
const withDocument = (text: string) =>
  variant(
    (c) => {
      c.policies['extra'] = { file: 'extra.json' };
    },
    { 'extra.json': text },
  );

const problemsOf = async (text: string): Promise<string[]> => {
  const error = await planBootstrap(withDocument(text), new FakeAws()).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(ValidationError);
  return (error as ValidationError).problems.map((p) => `${p.path}: ${p.message}`);
};

const doc = (statement: Record<string, unknown>): string =>
  JSON.stringify({ Version: '2012-10-17', Statement: [statement] });

describe('the SCP library in stacksets/scp', () => {
  it.each(files)('%s is valid JSON within the SCP size limit, as written and as rendered', (file) => {
    const text = readFileSync(join(SCP_DIR, file), 'utf8');
    const rendered = renderPolicyTemplate(text, policyTemplateValues(example().config));

    expect(() => JSON.parse(text) as unknown).not.toThrow();
    expect(rendered.unknown).toEqual([]);
    expect(JSON.stringify(JSON.parse(rendered.text)).length).toBeLessThanOrEqual(MAX_SCP_CHARACTERS);
    expect(rendered.text).not.toContain('{{');
  });

  it('every document is used by the example config, which bootstrap accepts', () => {
    const { desired, problems } = desiredFoundation(example());

    expect(problems).toEqual([]);
    expect(desired.policies.map((p) => p.file.replace('stacksets/scp/', '')).sort()).toEqual(
      [...files].sort(),
    );
  });

  it("renders the region restriction from the config's governed regions", () => {
    const loaded = variant((c) => {
      c.governedRegions = ['eu-central-1', 'eu-west-1'];
      c.homeRegion = 'eu-west-1';
    });
    const region = desiredFoundation(loaded).desired.policies.find((p) => p.name === 'region-restriction');
    const statement = (JSON.parse(region?.content ?? '{}') as { Statement: Array<Record<string, unknown>> })
      .Statement[0];

    expect(statement?.['Condition']).toMatchObject({
      StringNotEquals: { 'aws:RequestedRegion': ['eu-central-1', 'eu-west-1'] },
    });
    expect(statement?.['NotAction']).toEqual(expect.arrayContaining(['iam:*', 'organizations:*', 'sts:*']));
  });

  it("renders the factory's role names into the exemptions and the protected roles", () => {
    const loaded = variant((c) => {
      (c['organization'] as { factoryRoleNames: string[] }).factoryRoleNames = ['avf-factory', 'AccessRole'];
    });
    const identity = desiredFoundation(loaded).desired.policies.find((p) => p.name === 'identity-guardrails');

    expect(identity?.content).toContain('"arn:*:iam::*:role/avf-factory","arn:*:iam::*:role/AccessRole"');
    expect(identity?.content).not.toContain('OrganizationAccountAccessRole');
  });
});

describe('avf bootstrap --dry-run refuses policy documents AWS would reject', () => {
  it('fails when an action is not of the form service:Action, naming the file', async () => {
    const problems = await problemsOf(
      doc({ Effect: 'Deny', Action: ['iam CreateUser', 's3:*', 'ec2:Run*'], Resource: '*' }),
    );

    expect(problems).toEqual([
      'policies.extra.file: extra.json Statement[0] has action(s) not of the form service:Action (wildcards * ? allowed): "iam CreateUser"',
    ]);
  });

  it('fails on an unknown Effect and on a statement with no action', async () => {
    const problems = await problemsOf(doc({ Effect: 'Block', Resource: '*' }));

    expect(problems).toEqual([
      'policies.extra.file: extra.json Statement[0] has Effect "Block"; use "Allow" or "Deny"',
      'policies.extra.file: extra.json Statement[0] has neither "Action" nor "NotAction"',
    ]);
  });

  it('fails on a placeholder the factory does not know', async () => {
    const problems = await problemsOf(
      doc({
        Effect: 'Deny',
        Action: 'iam:*',
        Resource: '*',
        Condition: { ArnNotLike: { 'aws:PrincipalArn': '{{nope}}' } },
      }),
    );

    expect(problems).toEqual([
      expect.stringMatching(/^policies\.extra\.file: extra\.json uses an unknown placeholder \{\{nope\}\}/),
    ]);
  });

  it('fails when a rendered document is over 5,120 characters, naming the file and the limit', async () => {
    const many = Array.from({ length: 60 }, (_, i) => `role-with-a-rather-long-name-${i}`);
    const loaded = variant((c) => {
      (c['organization'] as { factoryRoleNames: string[] }).factoryRoleNames = many;
    });

    await expect(planBootstrap(loaded, new FakeAws(), { emulator: false })).rejects.toThrow(
      /policies\.identity-guardrails\.file: stacksets\/scp\/identity-guardrails\.json is [\d,]+ characters without whitespace; a service control policy may have at most 5,120/,
    );
  });
});

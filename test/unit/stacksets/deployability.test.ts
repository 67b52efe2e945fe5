import { loadConfig } from '../../../src/config/load';
import { getAttReferences, readTemplate, REPO, templateFiles } from '../../support/cfn-template';

const { config } = loadConfig(`${REPO}/factory.config.yaml`);

/** Passed by the factory to every template that declares them (src/bootstrap/desired.ts). */
const FACTORY_PARAMETERS = ['HomeRegion', 'BaselineVersion'];

/**
 * Types moto 5.2 creates from a template (docs/emulator.md), limited to the services a baseline
 * could use. `Fn::GetAtt` on any other type (Config rules, topic policies, trails, detectors…)
 * is an HTTP 500 in moto; a `Ref` to one is fine.
 */
const MOTO_CREATES = new Set([
  'AWS::Events::Rule',
  'AWS::Events::EventBus',
  'AWS::IAM::Role',
  'AWS::IAM::ManagedPolicy',
  'AWS::IAM::Policy',
  'AWS::IAM::InstanceProfile',
  'AWS::KMS::Key',
  'AWS::KMS::Alias',
  'AWS::Logs::LogGroup',
  'AWS::S3::Bucket',
  'AWS::SNS::Topic',
  'AWS::SQS::Queue',
  'AWS::SSM::Parameter',
  'AWS::Lambda::Function',
]);

describe.each(templateFiles())('%s', (file) => {
  const template = readTemplate(file);
  const stackSet = config.stackSets.find((s) => s.template === file);

  it('is deployed by a configured StackSet', () => {
    expect(stackSet?.template).toBe(file);
  });

  it('gets a value for every parameter without a default, and declares every one it is given', () => {
    const declared = template.Parameters ?? {};
    const supplied = new Set([...Object.keys(stackSet?.parameters ?? {}), ...FACTORY_PARAMETERS]);
    const unsupplied = Object.entries(declared)
      .filter(([name, p]) => p.Default === undefined && !supplied.has(name))
      .map(([name]) => name);
    expect(unsupplied).toEqual([]);
    expect(Object.keys(stackSet?.parameters ?? {}).filter((name) => !(name in declared))).toEqual([]);
  });

  it('uses Fn::GetAtt only on resource types moto creates', () => {
    const typeOf = (logicalId: string): string =>
      template.Resources[logicalId]?.Type ?? `unknown ${logicalId}`;
    const unsafe = getAttReferences(template)
      .map(([resource, attribute]) => `${resource}.${attribute} (${typeOf(resource)})`)
      .filter((ref) => !MOTO_CREATES.has(/\((.*)\)$/.exec(ref)?.[1] ?? ''));
    expect(unsafe).toEqual([]);
  });
});

describe('reading templates', () => {
  it('resolves short-form tags, so the GetAtt check sees them', () => {
    expect(getAttReferences(readTemplate('stacksets/baseline.yaml'))).toContainEqual(['BaselineKey', 'Arn']);
  });

  it('keeps IAM roles, which are global, to the home region', () => {
    for (const file of templateFiles()) {
      const roles = Object.entries(readTemplate(file).Resources).filter(
        ([, r]) => r.Type === 'AWS::IAM::Role',
      );
      expect(roles.map(([id, r]) => `${id}: ${r.Condition ?? 'every region'}`)).toEqual(
        roles.map(([id]) => `${id}: IsHomeRegion`),
      );
    }
  });
});

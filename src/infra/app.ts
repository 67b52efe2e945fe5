import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { FactoryStack, type StackSetsCallAs } from './factory-stack';

/**
 * The CDK app of `cdk.json`. Environment-agnostic and offline: synthesises with no credentials
 * and no Docker (the functions bundle with the local esbuild). Context (`-c key=value` or
 * cdk.json): `avf:configFile`, `avf:memberRoleName`, `avf:stackSetsCallAs` (SELF | DELEGATED_ADMIN).
 */
const app = new App();
const context = (key: string): string | undefined => {
  const value: unknown = app.node.tryGetContext(key);
  return typeof value === 'string' && value !== '' ? value : undefined;
};
new FactoryStack(app, 'AvfFactory', {
  description: 'avf account vending factory',
  configFile: context('avf:configFile'),
  memberRoleName: context('avf:memberRoleName'),
  stackSetsCallAs: context('avf:stackSetsCallAs') as StackSetsCallAs | undefined,
});
// Synth fails on any AwsSolutions finding not acknowledged (nag-acknowledgements.ts).
Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
app.synth();

import { App } from 'aws-cdk-lib';
import { FactoryStack } from './factory-stack';

/**
 * The CDK app of `cdk.json`. Environment-agnostic: synthesises offline with no credentials.
 * For now it holds the factory's notification topics; the compute, the DynamoDB store and the
 * least-privilege roles come with the deployment issue (see README, "Known gaps").
 */
const app = new App();
new FactoryStack(app, 'AvfFactory', { description: 'avf account vending factory' });
app.synth();

import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { join } from 'node:path';
import { FactoryStack } from '../../src/infra/factory-stack';
import { evaluateCall, loadRoleCalls, rolePolicies } from './role-evaluator';

const table = loadRoleCalls(join(__dirname, 'role-calls.yaml'));
const template = Template.fromStack(
  new FactoryStack(new App({ context: { 'aws:cdk:bundling-stacks': [] } }), 'Test'),
).toJSON() as Parameters<typeof rolePolicies>[0];
const policies = {
  api: rolePolicies(template, 'Api', table.values),
  worker: rolePolicies(template, 'Worker', table.values),
};

describe('the CDK roles, judged by @cloud-copilot/iam-simulate (test/infra/role-calls.yaml)', () => {
  it('covers both roles with calls that must and must not be allowed', () => {
    for (const role of ['api', 'worker'] as const)
      for (const expected of ['Allow', 'Deny'] as const)
        expect(table.calls.filter((c) => c.role === role && c.expect === expected).length).toBeGreaterThan(2);
  });

  it.each(table.calls.map((c, i) => [i + 1, c] as const))('#%i', async (_n, call) => {
    const got = await evaluateCall(policies[call.role], table.values, call);
    expect(`${call.role} ${call.action} ${call.resource} (${call.why}): ${got}`).toBe(
      `${call.role} ${call.action} ${call.resource} (${call.why}): ${call.expect}`,
    );
  });
});

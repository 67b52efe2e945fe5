import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { ADAPTER_IAM_ACTIONS } from '../../src/aws/iam-actions';
import { FactoryStack, type FactoryStackProps } from '../../src/infra/factory-stack';
import { WORKER_LIFECYCLE_WRITES, apiActions, workerActions } from '../../src/infra/factory-policy';
import { METRICS } from '../../src/infra/handlers/metrics';
import { TABLE } from '../../src/store/dynamodb/table-schema';

/** Bundling is skipped here (`cdk synth` bundles with the local esbuild); the template is the same otherwise. */
const stackOf = (props: FactoryStackProps = {}) =>
  new FactoryStack(new App({ context: { 'aws:cdk:bundling-stacks': [] } }), 'Test', props);

type Statement = { Action: string | string[]; Resource: unknown; Effect: string };
const statementsOf = (template: Template): Statement[] =>
  Object.values(template.findResources('AWS::IAM::Policy')).flatMap(
    (p) =>
      (p as { Properties: { PolicyDocument: { Statement: Statement[] } } }).Properties.PolicyDocument
        .Statement,
  );

type Resource = { Properties: Record<string, unknown> };

/** The statements of the policies attached to the role of the function whose logical id starts so. */
function functionStatements(template: Template, functionId: string): Statement[] {
  const [, fn] = Object.entries(template.findResources('AWS::Lambda::Function')).find(([id]) =>
    id.startsWith(functionId),
  ) as [string, Resource];
  const role = (fn.Properties.Role as { 'Fn::GetAtt': [string] })['Fn::GetAtt'][0];
  return Object.values(template.findResources('AWS::IAM::Policy'))
    .map((p) => (p as Resource).Properties)
    .filter((p) => (p.Roles as Array<{ Ref?: string }>).some((r) => r.Ref === role))
    .flatMap((p) => (p.PolicyDocument as { Statement: Statement[] }).Statement);
}

const actionsOf = (statements: Statement[]) =>
  statements.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]));

describe('FactoryStack', () => {
  const stack = stackOf();
  const template = Template.fromStack(stack);

  it('has the finance, security and operations topics, all KMS-encrypted', () => {
    template.resourceCountIs('AWS::SNS::Topic', 3);
    template.allResourcesProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
  });

  it('rotates the topics key and refuses unencrypted transport', () => {
    template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: Match.objectLike({
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      }),
    });
  });

  it('builds the store table from the one schema: PITR, customer-managed key, TTL, retained', () => {
    template.hasResource('AWS::DynamoDB::Table', { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [
        { AttributeName: TABLE.partitionKey, KeyType: 'HASH' },
        { AttributeName: TABLE.sortKey, KeyType: 'RANGE' },
      ],
      BillingMode: 'PAY_PER_REQUEST',
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      SSESpecification: { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: Match.anyValue() },
      TimeToLiveSpecification: { AttributeName: TABLE.ttlAttribute, Enabled: true },
      DeletionProtectionEnabled: true,
      GlobalSecondaryIndexes: TABLE.indexes.map((i) =>
        Match.objectLike({
          IndexName: i.name,
          KeySchema: [
            { AttributeName: i.partitionKey, KeyType: 'HASH' },
            ...(i.sortKey ? [{ AttributeName: i.sortKey, KeyType: 'RANGE' }] : []),
          ],
        }),
      ),
    });
  });

  it('runs the API behind an HTTP API with access logs, and the worker on a schedule and on new requests', () => {
    template.resourceCountIs('AWS::Lambda::Function', 2);
    template.allResourcesProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({ AVF_STORE: Match.anyValue(), AVF_STACKSETS_CALL_AS: 'SELF' }),
      },
    });
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AccessLogSettings: { DestinationArn: Match.anyValue(), Format: Match.anyValue() },
    });
    template.hasResourceProperties('AWS::Events::Rule', { ScheduleExpression: 'rate(1 minute)' });
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      // new requests, and the wake item the API rewrites after its other mutating calls
      FilterCriteria: {
        Filters: [
          { Pattern: Match.stringLikeRegexp('"INSERT".*"REQUEST"') },
          { Pattern: Match.stringLikeRegexp('"MODIFY".*"WAKE"') },
        ],
      },
    });
  });

  it('keeps every log group for three months', () => {
    template.resourceCountIs('AWS::Logs::LogGroup', 3);
    template.allResourcesProperties('AWS::Logs::LogGroup', { RetentionInDays: 90 });
  });

  it('alarms on FAILED requests, worker errors and function errors, to the operations topic', () => {
    for (const metric of [METRICS.requestsFailed, METRICS.workerErrors]) {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: METRICS.namespace,
        MetricName: metric,
        Threshold: 1,
        AlarmActions: [Match.anyValue()],
      });
    }
    template.resourcePropertiesCountIs(
      'AWS::CloudWatch::Alarm',
      { MetricName: 'Errors', Namespace: 'AWS/Lambda' },
      2,
    );
  });

  it('grants the worker exactly the adapters’ actions, never Action * and never a service wildcard', () => {
    const statements = statementsOf(template);
    const actions = statements.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]));
    expect(actions).not.toContain('*');
    expect(actions.filter((a) => /^[a-z0-9-]+:\*$/.test(a))).toEqual([]);
    for (const action of workerActions()) expect(actions).toContain(action);
    expect(workerActions()).toContain('organizations:CreateAccount');
    expect(workerActions()).not.toContain('iam:PassRole');
    expect(ADAPTER_IAM_ACTIONS.memberAccount).toContain('iam:PassRole');
    const assume = statements.find((s) => s.Action === 'sts:AssumeRole');
    expect(JSON.stringify(assume?.Resource)).toContain(':role/OrganizationAccountAccessRole');
    expect((assume as { Condition?: unknown } | undefined)?.Condition).toEqual({
      StringEquals: { 'aws:ResourceOrgID': { Ref: 'OrganizationId' } },
    });
  });

  it('takes the organisation id as a parameter, or as a prop', () => {
    expect(template.toJSON().Parameters?.OrganizationId).toMatchObject({
      Type: 'String',
      AllowedPattern: '^o-[a-z0-9]{10,32}$',
    });
    const given = Template.fromStack(stackOf({ organizationId: 'o-abcdefghij' }));
    const assumes = statementsOf(given).filter((s) => s.Action === 'sts:AssumeRole');
    // the worker's only: the API assumes no role
    expect(assumes).toHaveLength(1);
    for (const a of assumes)
      expect((a as { Condition?: unknown }).Condition).toEqual({
        StringEquals: { 'aws:ResourceOrgID': 'o-abcdefghij' },
      });
    expect(given.toJSON().Parameters?.OrganizationId).toBeUndefined();
  });

  it('grants the API function reads from the management account only: no write, no member role', () => {
    const statements = functionStatements(template, 'Api');
    const actions = actionsOf(statements);
    for (const action of apiActions()) expect(actions).toContain(action);
    // intake, PATCH, move, import: what they read from the management account
    for (const action of [
      'organizations:ListAccounts',
      'organizations:ListParents',
      'organizations:DescribeAccount',
      'cloudformation:ListStackInstances',
      'sso:ListAccountAssignments',
      'sso:DescribeAccountAssignmentCreationStatus',
      'budgets:ViewBudget',
    ])
      expect(actions).toContain(action);
    // what the worker does for them (changes sent with PATCH, verifications and their remediation,
    // moves and the redeploy after them, closures, imports) stays the worker's
    for (const action of [
      ...WORKER_LIFECYCLE_WRITES,
      'organizations:CreateAccount',
      'organizations:CloseAccount',
      'cloudformation:CreateStackInstances',
      'cloudformation:DeleteStackInstances',
      'cloudformation:UpdateStackSet',
      'organizations:AttachPolicy',
    ])
      expect(actions).not.toContain(action);
    expect(actions.filter((a) => a === '*' || /^[a-z0-9-]+:\*$/.test(a))).toEqual([]);
    expect(actions).not.toContain('sts:AssumeRole');
    // beyond its store (DynamoDB and the table's key), reads only
    const aws = actions.filter((a) => !/^(dynamodb|kms):/.test(a));
    expect(aws.filter((a) => !/^[a-z0-9-]+:(Describe|Get|List|View)[A-Z]/.test(a))).toEqual([]);
  });

  it('answers within API Gateway’s limit: the API function stops at 29 s, the worker ticks for a minute', () => {
    const fns = template.findResources('AWS::Lambda::Function') as Record<string, Resource>;
    const timeoutOf = (prefix: string) =>
      Object.entries(fns).find(([id]) => id.startsWith(prefix))?.[1].Properties.Timeout;
    expect(timeoutOf('Api')).toBe(29);
    expect(timeoutOf('Worker')).toBe(75);
  });

  it('has no cdk-nag AwsSolutions finding left unacknowledged', () => {
    const report = new AwsSolutionsChecks().validateScope(stack);
    const findings = report.violations.flatMap((v) =>
      v.violatingResources.map((r) => `${r.constructPath ?? ''} ${v.ruleName}`),
    );
    expect(findings).toEqual([]);
  });

  it('is deterministic and environment-agnostic', () => {
    expect(Template.fromStack(stackOf()).toJSON()).toEqual(template.toJSON());
    expect(stack.account).toMatch(/^\$\{Token/);
    expect(JSON.stringify(template.toJSON())).not.toMatch(/arn:aws:/);
  });

  it('passes CallAs DELEGATED_ADMIN to the functions when asked', () => {
    const delegated = Template.fromStack(stackOf({ stackSetsCallAs: 'DELEGATED_ADMIN' }));
    delegated.allResourcesProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ AVF_STACKSETS_CALL_AS: 'DELEGATED_ADMIN' }) },
    });
  });

  it('fails when CallAs is neither SELF nor DELEGATED_ADMIN', () => {
    expect(() => stackOf({ stackSetsCallAs: 'ADMIN' as FactoryStackProps['stackSetsCallAs'] })).toThrow(
      'use SELF or DELEGATED_ADMIN',
    );
  });
});

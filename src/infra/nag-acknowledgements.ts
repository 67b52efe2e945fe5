import { Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import type { Compute } from './compute';

const acknowledge = (construct: IConstruct, findings: Record<string, string>) => {
  for (const [id, reason] of Object.entries(findings)) Validations.of(construct).acknowledge({ id, reason });
};

const LOGS_POLICY =
  'AWSLambdaBasicExecutionRole only lets the function write its own CloudWatch logs; CDK attaches it to every Lambda role.';
const TABLE_INDEXES =
  "The store queries the table's indexes (listing, due work, by account); the grant covers only this table's.";
const KMS_GRANT =
  "The store table's customer-managed key: the DynamoDB grant's kms:GenerateDataKey*/ReEncrypt* on that one key.";

const BUDGETS =
  "Budget writes reach only the factory's budgets (named avf-<account id>, one per vended account, created at run time) and their actions.";

/**
 * The cdk-nag AwsSolutions findings this stack accepts, each on the construct it concerns and
 * with its reason. `cdk synth` and test/infra fail on any other finding.
 */
export function acknowledgeNagFindings(compute: Compute): void {
  for (const fn of [compute.api, compute.worker]) {
    acknowledge(fn, {
      'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]':
        LOGS_POLICY,
      'AwsSolutions-IAM5[Resource::<StoreTableC58618EC.Arn>/index/*]': TABLE_INDEXES,
      'AwsSolutions-IAM5[Action::kms:ReEncrypt*]': KMS_GRANT,
      'AwsSolutions-IAM5[Action::kms:GenerateDataKey*]': KMS_GRANT,
    });
  }
  acknowledge(compute.api, {
    'AwsSolutions-IAM5[Resource::*]':
      'Each action is named (src/infra/factory-policy.ts apiActions, printed in the README): read-only ones of the worker, no write; they read accounts, OUs, assignments and budgets the factory creates at run time, so their ARNs are not known at deploy time.',
  });
  acknowledge(compute.worker, {
    'AwsSolutions-IAM5[Resource::*]':
      'Each action is named (src/aws/iam-actions.ts, printed in the README), none is a wildcard; Organizations, StackSets, Identity Center and Budgets act on accounts, OUs, policies and operations the factory creates at run time, so their ARNs are not known at deploy time.',
    'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:iam::*:role/OrganizationAccountAccessRole]':
      'The worker assumes the member access role in every account it vends; those account ids do not exist at deploy time. Only that role name is allowed.',
    'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:budgets::<AWS::AccountId>:budget/avf-*]': BUDGETS,
    'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:budgets::<AWS::AccountId>:budget/avf-*/action/*]':
      BUDGETS,
  });
  acknowledge(compute.httpApi, {
    'AwsSolutions-APIG4':
      'Every route but /healthz requires a bearer token checked by the app itself (api/auth.ts), by role and team; an API Gateway authorizer would duplicate it.',
  });
}

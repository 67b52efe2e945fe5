import { CfnOutput, CfnParameter, Stack, type StackProps } from 'aws-cdk-lib';
import { ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Topic } from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';
import { factoryAlarms } from './alarms';
import { Compute } from './compute';
import { factoryDashboard } from './dashboard';
import { acknowledgeNagFindings } from './nag-acknowledgements';
import { storeTable } from './store-table';

export const STACK_SETS_CALL_AS = ['SELF', 'DELEGATED_ADMIN'] as const;
export type StackSetsCallAs = (typeof STACK_SETS_CALL_AS)[number];

export interface FactoryStackProps extends StackProps {
  /** The factory config deployed with the functions, relative to the repo root. Default: factory.config.yaml. */
  configFile?: string;
  /** Role the worker assumes in member accounts. Default: OrganizationAccountAccessRole. */
  memberRoleName?: string;
  /**
   * `DELEGATED_ADMIN` when the stack runs in a delegated administrator account for StackSets
   * rather than the management account. Default: SELF.
   */
  stackSetsCallAs?: StackSetsCallAs;
  /** Default: three months. */
  logRetention?: RetentionDays;
  /**
   * The organisation id (`o-…`) whose accounts the functions may assume the member role in.
   * Default: the stack parameter `OrganizationId`, given at deploy time.
   */
  organizationId?: string;
}

/** The factory in the management (or delegated administrator) account. */
export class FactoryStack extends Stack {
  readonly financeAlerts: Topic;
  readonly securityNotifications: Topic;
  readonly operationsAlarms: Topic;

  constructor(scope: Construct, id: string, props: FactoryStackProps = {}) {
    super(scope, id, props);
    const callAs = props.stackSetsCallAs ?? 'SELF';
    if (!STACK_SETS_CALL_AS.includes(callAs)) {
      throw new Error(`stackSetsCallAs is ${JSON.stringify(callAs)}; use SELF or DELEGATED_ADMIN`);
    }
    const key = new Key(this, 'TopicsKey', {
      description: 'avf: encrypts the factory notification topics',
      enableKeyRotation: true,
    });
    const topic = (topicId: string, displayName: string) =>
      new Topic(this, topicId, { displayName, masterKey: key, enforceSSL: true });
    this.financeAlerts = topic('FinanceBudgetAlerts', 'avf budget alerts for finance');
    this.securityNotifications = topic('SecurityNotifications', 'avf security notifications');
    this.operationsAlarms = topic('OperationsAlarms', 'avf operations alarms');
    // CloudWatch alarms publish to the encrypted topic.
    key.grantEncryptDecrypt(new ServicePrincipal('cloudwatch.amazonaws.com'));

    const dataKey = new Key(this, 'StoreKey', {
      description: 'avf: encrypts the request store table',
      enableKeyRotation: true,
    });
    const table = storeTable(this, dataKey);
    const organizationId =
      props.organizationId ??
      new CfnParameter(this, 'OrganizationId', {
        description: 'The organisation id (o-...): the functions assume the member role only in its accounts',
        allowedPattern: '^o-[a-z0-9]{10,32}$',
      }).valueAsString;
    const compute = new Compute(this, {
      table,
      configFile: props.configFile ?? 'factory.config.yaml',
      memberRoleName: props.memberRoleName ?? 'OrganizationAccountAccessRole',
      organizationId,
      stackSetsCallAs: callAs,
      logRetention: props.logRetention ?? RetentionDays.THREE_MONTHS,
    });
    factoryAlarms(this, { worker: compute.worker, api: compute.api, topic: this.operationsAlarms });
    factoryDashboard(this, { worker: compute.worker, api: compute.api, table });

    new CfnOutput(this, 'ApiUrl', { value: compute.httpApi.apiEndpoint });
    new CfnOutput(this, 'StoreTableName', { value: table.tableName });
    new CfnOutput(this, 'FinanceAlertsTopicArn', { value: this.financeAlerts.topicArn });
    new CfnOutput(this, 'SecurityNotificationsTopicArn', { value: this.securityNotifications.topicArn });
    acknowledgeNagFindings(compute);
  }
}

import { Stack, type StackProps } from 'aws-cdk-lib';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Topic } from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';

/** The factory's own resources in the management (or delegated administrator) account. */
export class FactoryStack extends Stack {
  readonly financeAlerts: Topic;
  readonly securityNotifications: Topic;

  constructor(scope: Construct, id: string, props: StackProps = {}) {
    super(scope, id, props);
    const key = new Key(this, 'TopicsKey', {
      description: 'avf: encrypts the factory notification topics',
      enableKeyRotation: true,
    });
    this.financeAlerts = new Topic(this, 'FinanceBudgetAlerts', {
      displayName: 'avf budget alerts for finance',
      masterKey: key,
      enforceSSL: true,
    });
    this.securityNotifications = new Topic(this, 'SecurityNotifications', {
      displayName: 'avf security notifications',
      masterKey: key,
      enforceSSL: true,
    });
  }
}

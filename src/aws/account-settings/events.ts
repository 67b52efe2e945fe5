import {
  DescribeRuleCommand,
  ListTargetsByRuleCommand,
  type EventBridgeClient,
} from '@aws-sdk/client-eventbridge';
import type { EventRule } from '../../domain/ports/account-settings';
import { call, hasAwsCode } from '../errors';

/** EventBridge in a member account and region: reads the alert rules the baseline deploys. */
export class MemberEventsAdapter {
  constructor(private readonly client: EventBridgeClient) {}

  /**
   * events:DescribeRule, events:ListTargetsByRule. A rule holds at most 5 targets (an AWS quota),
   * so one page of 100 always holds them all; the SDK has no paginator for this call.
   */
  async getEventRule(name: string): Promise<EventRule | undefined> {
    let rule;
    try {
      rule = await call('events:DescribeRule', () =>
        this.client.send(new DescribeRuleCommand({ Name: name })),
      );
    } catch (e) {
      if (hasAwsCode(e, 'ResourceNotFoundException')) return undefined;
      throw e;
    }
    const targets = await call('events:ListTargetsByRule', () =>
      this.client.send(new ListTargetsByRuleCommand({ Rule: name, Limit: 100 })),
    );
    return {
      name,
      state: rule.State ?? 'UNKNOWN',
      ...(rule.EventPattern ? { eventPattern: rule.EventPattern } : {}),
      targetArns: (targets.Targets ?? []).flatMap((t) => (t.Arn ? [t.Arn] : [])),
    };
  }
}

import type { Control } from '../verifier';
import { perRegion, verdict } from './account-settings-read';

/** The rule and topic the baseline StackSet (stacksets/baseline.yaml) deploys in every region. */
export const ROOT_ACTIVITY_RULE = 'avf-root-activity';
export const SECURITY_TOPIC = 'avf-security-notifications';

/** L-5: root-user sign-ins and API calls raise an alert to the security topic, in every governed region. */
export const rootActivityAlertControl: Control = {
  id: 'L-5',
  title: 'alert on root-user activity in every governed region',
  seeds: ['004'],
  enforcedBy: 'StackSet',
  evaluate: (ctx) =>
    perRegion(ctx, async (port) => {
      const rule = await port.getEventRule(ROOT_ACTIVITY_RULE);
      if (!rule) return verdict([`no EventBridge rule ${ROOT_ACTIVITY_RULE}`], '');
      const problems = [
        ...(rule.state === 'ENABLED' ? [] : [`rule is ${rule.state}`]),
        ...(rule.eventPattern?.includes('Root') ? [] : ['the event pattern does not match the root user']),
        ...(rule.targetArns.some((arn) => arn.endsWith(`:${SECURITY_TOPIC}`))
          ? []
          : [`no target on the ${SECURITY_TOPIC} topic (targets: ${rule.targetArns.join(', ') || 'none'})`]),
      ];
      return verdict(problems, `${rule.name} ${rule.state} → ${rule.targetArns.join(', ')}`);
    }),
};

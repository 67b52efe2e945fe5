import type { EventRule, LocalPolicy } from '../../../src/domain/ports/account-settings';
import { substitute } from '../../../src/domain/cfn-template';
import { parseTemplateOnce as parseTemplate } from '../../../src/domain/cfn-template';

/** The EventBridge rules a template declares (only literal names and `Ref` targets are modelled). */
export function templateEventRules(templateBody: string): EventRule[] {
  const resources = parseTemplate(templateBody).Resources ?? {};
  return Object.values(resources)
    .filter((r) => r.Type === 'AWS::Events::Rule')
    .flatMap((r) => {
      const props = (r.Properties ?? {}) as {
        Name?: unknown;
        State?: unknown;
        EventPattern?: unknown;
        Targets?: unknown;
      };
      if (typeof props.Name !== 'string') return [];
      const targets = Array.isArray(props.Targets)
        ? (props.Targets as Array<{ Arn?: { Ref?: string } }>)
        : [];
      return [
        {
          name: props.Name,
          state: typeof props.State === 'string' ? props.State : 'ENABLED',
          eventPattern: JSON.stringify(props.EventPattern ?? {}),
          targetArns: targets.map((t) => {
            const ref = t.Arn?.Ref;
            const topic = ref
              ? (resources[ref]?.Properties as { TopicName?: string } | undefined)?.TopicName
              : undefined;
            return `arn:aws:sns:::${topic ?? ref ?? 'unknown'}`;
          }),
        },
      ];
    });
}

/** The managed policies a template declares, as version v1 with the account's pseudo parameters. */
export function templateManagedPolicies(body: string, account: string, region: string): LocalPolicy[] {
  return Object.values(parseTemplate(body).Resources ?? {})
    .filter((r) => r.Type === 'AWS::IAM::ManagedPolicy')
    .map((r) => {
      const vars = { 'AWS::AccountId': account, 'AWS::Partition': 'aws', 'AWS::Region': region };
      const name = String(r.Properties?.['ManagedPolicyName']);
      return {
        name,
        arn: `arn:aws:iam::${account}:policy/${name}`,
        defaultVersionId: 'v1',
        document: JSON.stringify(substitute(r.Properties?.['PolicyDocument'], vars)),
      };
    });
}

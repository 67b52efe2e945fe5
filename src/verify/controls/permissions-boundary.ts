import { readFileSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import { PERMISSIONS_BOUNDARY_POLICY_NAME } from '../../domain/names';
import { configPath, type LoadedConfig } from '../../config/load';
import { parseTemplateOnce, substitute } from '../../domain/cfn-template';
import { verdict, type Verdict } from './account-settings-read';
import { iamInventory } from './once-per-verification';
import type { Control, ControlContext } from '../verifier';

/** The boundary policy a StackSet template of the config declares, and which template. */
interface DeclaredBoundary {
  template: string;
  /** The policy document with CloudFormation's functions unresolved. */
  document: unknown;
}

/** The `AWS::IAM::ManagedPolicy` named PERMISSIONS_BOUNDARY_POLICY_NAME in the config's StackSets. */
export function declaredBoundary(config: LoadedConfig): DeclaredBoundary | undefined {
  for (const stackSet of config.config.stackSets) {
    const template = parseTemplateOnce(readFileSync(configPath(config, stackSet.template), 'utf8'));
    const policy = Object.values(template.Resources ?? {}).find(
      (r) =>
        r.Type === 'AWS::IAM::ManagedPolicy' &&
        r.Properties?.['ManagedPolicyName'] === PERMISSIONS_BOUNDARY_POLICY_NAME,
    );
    if (policy) return { template: stackSet.template, document: policy.Properties?.['PolicyDocument'] };
  }
  return undefined;
}

/** `aws`, `aws-cn`, `aws-us-gov`: the second field of an ARN. */
const partitionOf = (arn: string): string => arn.split(':')[1] ?? 'aws';

/**
 * The boundary policy the baseline creates exists in the account and its default version is the
 * document the factory renders for it (the template's, with the account's partition and id). A
 * missing policy or another document is FAIL, with the difference's evidence.
 */
async function boundaryVerdict(ctx: ControlContext): Promise<Verdict> {
  const declared = declaredBoundary(ctx.config);
  if (!declared) {
    return verdict([`no StackSet of the config creates the ${PERMISSIONS_BOUNDARY_POLICY_NAME} policy`], '');
  }
  const { accountId } = ctx.target;
  const port = await ctx.aws.memberAccount(accountId, ctx.config.config.homeRegion, ctx.target.activity);
  const live = (await iamInventory(ctx, port)).localPolicies.find(
    (p) => p.name === PERMISSIONS_BOUNDARY_POLICY_NAME,
  );
  if (!live) {
    return verdict(
      [
        `no policy ${PERMISSIONS_BOUNDARY_POLICY_NAME} in ${accountId} (the ${declared.template} StackSet creates it)`,
      ],
      '',
    );
  }
  const expected = substitute(declared.document, {
    'AWS::AccountId': accountId,
    'AWS::Partition': partitionOf(live.arn),
    'AWS::Region': ctx.config.config.homeRegion,
  });
  let actual: unknown;
  try {
    actual = JSON.parse(live.document);
  } catch {
    actual = live.document;
  }
  const problems = isDeepStrictEqual(actual, expected)
    ? []
    : [
        `${live.arn} default version ${live.defaultVersionId} is not the document ${declared.template} renders: ` +
          `read ${JSON.stringify(actual)}, expected ${JSON.stringify(expected)}`,
      ];
  return verdict(
    problems,
    `${live.arn} default version ${live.defaultVersionId} is the document ${declared.template} renders`,
  );
}

/**
 * IAM-7: the policy IAM-6's SCP requires as the boundary of every role is the one the factory
 * wrote: the SCP means little if the policy is missing or says something else.
 */
export const boundaryPolicyControl: Control = {
  id: 'IAM-7',
  title: 'the permissions boundary is the policy the factory wrote',
  seeds: ['002'],
  enforcedBy: 'StackSet',
  evaluate: async (ctx) => [await boundaryVerdict(ctx)],
};

import { readFileSync } from 'node:fs';
import { runSimulation } from '@cloud-copilot/iam-simulate';
import { parse } from 'yaml';
import { z } from 'zod';

/**
 * The outside check of the factory's IAM roles: the identity policies the synthesised template
 * attaches to each function's role, judged by @cloud-copilot/iam-simulate against a table of calls
 * each role must and must not be able to make (test/infra/role-calls.yaml).
 */

const CallSchema = z
  .object({
    role: z.enum(['api', 'worker']),
    action: z.string(),
    resource: z.string().default('*'),
    context: z.record(z.string(), z.string()).default({}),
    expect: z.enum(['Allow', 'Deny']),
    why: z.string(),
  })
  .strict();
const TableSchema = z
  .object({
    /** What the template's parameters and pseudo parameters stand for in the table. */
    values: z.object({ account: z.string(), region: z.string(), organizationId: z.string() }).strict(),
    calls: z.array(CallSchema),
  })
  .strict();
export type RoleCallTable = z.infer<typeof TableSchema>;
export type RoleCall = z.infer<typeof CallSchema>;

export function loadRoleCalls(file: string): RoleCallTable {
  return TableSchema.parse(parse(readFileSync(file, 'utf8')));
}

type Template = { Resources: Record<string, { Type: string; Properties?: Record<string, unknown> }> };

/** Replaces the template's intrinsics with the table's values (enough for IAM policy documents). */
function resolve(value: unknown, template: Template, values: RoleCallTable['values']): unknown {
  if (Array.isArray(value)) return value.map((v) => resolve(v, template, values));
  if (value === null || typeof value !== 'object') return value;
  const o = value as Record<string, unknown>;
  if ('Ref' in o) {
    const refs: Record<string, string> = {
      'AWS::Partition': 'aws',
      'AWS::AccountId': values.account,
      'AWS::Region': values.region,
      OrganizationId: values.organizationId,
    };
    return refs[String(o.Ref)] ?? `ref-${String(o.Ref)}`;
  }
  if ('Fn::GetAtt' in o) {
    const [id = ''] = o['Fn::GetAtt'] as string[];
    const type = template.Resources[id]?.Type;
    if (type === 'AWS::DynamoDB::Table')
      return `arn:aws:dynamodb:${values.region}:${values.account}:table/avf-store`;
    if (type === 'AWS::KMS::Key') return `arn:aws:kms:${values.region}:${values.account}:key/${id}`;
    return `arn:aws:unknown:${values.region}:${values.account}:${id}`;
  }
  if ('Fn::Join' in o) {
    const [sep, parts] = o['Fn::Join'] as [string, unknown[]];
    return parts.map((p) => resolve(p, template, values)).join(sep);
  }
  return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, resolve(v, template, values)]));
}

/** The identity policy documents attached to the role of the function whose logical id starts so. */
export function rolePolicies(template: Template, functionPrefix: string, values: RoleCallTable['values']) {
  const [, fn] = Object.entries(template.Resources).find(
    ([id, r]) => r.Type === 'AWS::Lambda::Function' && id.startsWith(functionPrefix),
  ) ?? [undefined, undefined];
  if (!fn) throw new Error(`no function ${functionPrefix}* in the template`);
  const role = (fn.Properties?.Role as { 'Fn::GetAtt': [string] })['Fn::GetAtt'][0];
  return Object.entries(template.Resources)
    .filter(
      ([, r]) =>
        r.Type === 'AWS::IAM::Policy' &&
        (r.Properties?.Roles as Array<{ Ref?: string }>).some((x) => x.Ref === role),
    )
    .map(([id, r]) => ({ name: id, policy: resolve(r.Properties?.PolicyDocument, template, values) }));
}

/** `Allow`, `Deny`, or why the simulator could not judge the call. */
export async function evaluateCall(
  policies: ReturnType<typeof rolePolicies>,
  values: RoleCallTable['values'],
  call: RoleCall,
): Promise<string> {
  const principal = `arn:aws:iam::${values.account}:role/avf-${call.role}`;
  const resource = call.resource.replaceAll('{account}', values.account);
  const result = await runSimulation(
    {
      request: {
        principal,
        action: call.action,
        resource: {
          resource,
          accountId: /^arn:aws:[^:]*:[^:]*:(\d{12}):/.exec(resource)?.[1] ?? values.account,
        },
        contextVariables: {
          'aws:PrincipalArn': principal,
          'aws:PrincipalAccount': values.account,
          'aws:RequestedRegion': values.region,
          ...call.context,
        },
      },
      identityPolicies: policies,
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      // A member account's access role trusts the management account, as CreateAccount makes it:
      // the cross-account call is then decided by the factory role's own policy.
      ...(call.action === 'sts:AssumeRole'
        ? {
            resourcePolicy: {
              Version: '2012-10-17',
              Statement: [
                {
                  Effect: 'Allow',
                  Principal: { AWS: `arn:aws:iam::${values.account}:root` },
                  Action: 'sts:AssumeRole',
                },
              ],
            },
          }
        : {}),
    },
    {},
  );
  if (result.resultType === 'error') return `simulator refused the call: ${JSON.stringify(result.errors)}`;
  return result.overallResult === 'Allowed' ? 'Allow' : 'Deny';
}

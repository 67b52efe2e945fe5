import {
  CloudFormationClient,
  CreateStackCommand,
  DescribeStackResourcesCommand,
  DescribeStacksCommand,
  type StackResource,
} from '@aws-sdk/client-cloudformation';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { CfnTemplate } from './synthesised-app';

/** The resource types moto's CloudFormation creates (others it records and skips). */
export function motoCloudFormationTypes(): Set<string> {
  const out = execFileSync('python3', [
    '-c',
    'import json; from moto.cloudformation.parsing import get_model_map; print(json.dumps(sorted(get_model_map())))',
  ]).toString();
  return new Set(JSON.parse(out) as string[]);
}

export interface MotoDeployment {
  stackStatus: string;
  resources: StackResource[];
  /** Resources of types moto does not model: `logicalId: type`. */
  skipped: string[];
  /** Outputs left out because moto fails the whole stack on a GetAtt of a type it does not model. */
  outputsLeftOut: string[];
  outputs: Record<string, string>;
}

/**
 * Deploys a synthesised template into moto's CloudFormation as `cdk deploy` would into a
 * bootstrapped account: the zipped assets in the bootstrap bucket, the bootstrap version in SSM.
 * moto answers HTTP 500 for the whole stack when an Output reads an attribute (`Fn::GetAtt`) of a
 * type it does not model, so those outputs are left out; everything else is deployed as is.
 */
export async function deployToMoto(options: {
  endpoint: string;
  stackName: string;
  template: CfnTemplate;
  assets: Array<{ zipFile: string; s3Key: string }>;
  /** The stack's parameters (for example `OrganizationId`). */
  parameters?: Record<string, string>;
}): Promise<MotoDeployment> {
  const base = {
    region: 'us-east-1',
    endpoint: options.endpoint,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  };
  const supported = motoCloudFormationTypes();
  const resources = options.template.Resources;
  const skipped = Object.entries(resources)
    .filter(([, r]) => !supported.has(r.Type))
    .map(([id, r]) => `${id}: ${r.Type}`);
  const outputsLeftOut: string[] = [];
  const outputs: CfnTemplate['Outputs'] = {};
  for (const [name, output] of Object.entries(options.template.Outputs ?? {})) {
    const getAtt = (output.Value as { 'Fn::GetAtt'?: [string, string] })['Fn::GetAtt'];
    if (getAtt && !supported.has(resources[getAtt[0]]?.Type ?? '')) outputsLeftOut.push(name);
    else outputs[name] = output;
  }

  const s3 = new S3Client({ ...base, forcePathStyle: true });
  const bucket = 'cdk-hnb659fds-assets-123456789012-us-east-1';
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  for (const asset of options.assets) {
    await s3.send(
      new PutObjectCommand({ Bucket: bucket, Key: asset.s3Key, Body: readFileSync(asset.zipFile) }),
    );
  }
  await putBootstrapVersion(options.endpoint);

  const cfn = new CloudFormationClient(base);
  await cfn.send(
    new CreateStackCommand({
      StackName: options.stackName,
      TemplateBody: JSON.stringify({ ...options.template, Outputs: outputs }),
      Capabilities: ['CAPABILITY_IAM'],
      Parameters: Object.entries(options.parameters ?? {}).map(([ParameterKey, ParameterValue]) => ({
        ParameterKey,
        ParameterValue,
      })),
    }),
  );
  let stack = (await cfn.send(new DescribeStacksCommand({ StackName: options.stackName }))).Stacks?.[0];
  for (let i = 0; i < 100 && stack?.StackStatus?.endsWith('_IN_PROGRESS'); i++) {
    await new Promise((r) => setTimeout(r, 200));
    stack = (await cfn.send(new DescribeStacksCommand({ StackName: options.stackName }))).Stacks?.[0];
  }
  const described = await cfn.send(new DescribeStackResourcesCommand({ StackName: options.stackName }));
  return {
    stackStatus: stack?.StackStatus ?? 'MISSING',
    resources: described.StackResources ?? [],
    skipped,
    outputsLeftOut,
    outputs: Object.fromEntries((stack?.Outputs ?? []).map((o) => [o.OutputKey ?? '', o.OutputValue ?? ''])),
  };
}

/** The `/cdk-bootstrap/hnb659fds/version` parameter every CDK template checks (SSM's JSON API). */
async function putBootstrapVersion(endpoint: string): Promise<void> {
  const res = await fetch(endpoint, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': 'AmazonSSM.PutParameter',
      authorization: 'AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/ssm/aws4_request',
    },
    body: JSON.stringify({ Name: '/cdk-bootstrap/hnb659fds/version', Value: '30', Type: 'String' }),
  });
  if (!res.ok) throw new Error(`SSM PutParameter: HTTP ${res.status} ${await res.text()}`);
}

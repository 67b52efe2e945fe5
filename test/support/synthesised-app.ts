import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
export const REPO = resolve(__dirname, '../..');

export type CfnTemplate = {
  Parameters?: Record<string, unknown>;
  Resources: Record<
    string,
    { Type: string; Properties?: Record<string, unknown>; Metadata?: Record<string, unknown> }
  >;
  Outputs?: Record<string, { Value: unknown }>;
};

/** A Lambda function of the template with the bundle `cdk synth` built for it. */
export interface BundledFunction {
  logicalId: string;
  /** The asset folder in cdk.out (what `cdk deploy` zips and uploads). */
  assetDir: string;
  /** The S3 key the template expects the zipped asset under. */
  s3Key: string;
  handler: string;
  memoryMb: number;
  timeoutSeconds: number;
  /** Environment.Variables as written in the template (values may be intrinsics). */
  environment: Record<string, unknown>;
}

export interface SynthesisedApp {
  outdir: string;
  templateFile: string;
  template: CfnTemplate;
  /** The functions by the start of their logical id (`Api`, `Worker`). */
  fn(prefix: string): BundledFunction;
}

/**
 * `cdk synth` of the app in cdk.json, as a platform engineer runs it: offline, no Docker (the
 * functions bundle with the local esbuild), cdk-nag checks included.
 */
export async function synthesiseApp(outdir: string): Promise<SynthesisedApp> {
  mkdirSync(outdir, { recursive: true });
  await run(join(REPO, 'node_modules/.bin/cdk'), ['synth', '--quiet', '--output', outdir], {
    cwd: REPO,
    env: { ...process.env, CDK_DISABLE_VERSION_CHECK: '1' },
    maxBuffer: 64 * 1024 * 1024,
  });
  const templateFile = join(outdir, 'AvfFactory.template.json');
  const template = JSON.parse(readFileSync(templateFile, 'utf8')) as CfnTemplate;
  return {
    outdir,
    templateFile,
    template,
    fn(prefix) {
      const found = Object.entries(template.Resources).find(
        ([id, r]) => r.Type === 'AWS::Lambda::Function' && id.startsWith(prefix),
      );
      if (!found) throw new Error(`no AWS::Lambda::Function ${prefix}* in the template`);
      const [logicalId, { Properties: p = {}, Metadata: m = {} }] = found;
      return {
        logicalId,
        assetDir: join(outdir, m['aws:asset:path'] as string),
        s3Key: (p.Code as { S3Key: string }).S3Key,
        handler: p.Handler as string,
        memoryMb: p.MemorySize as number,
        timeoutSeconds: p.Timeout as number,
        environment: (p.Environment as { Variables: Record<string, unknown> }).Variables,
      };
    },
  };
}

/** Resolves `Ref` and `Fn::Join` against the physical ids given (enough for Environment values). */
export function resolveIntrinsics(value: unknown, refs: Record<string, string>): string {
  if (typeof value === 'string') return value;
  const v = value as { Ref?: string; 'Fn::Join'?: [string, unknown[]] };
  if (v.Ref !== undefined) {
    const physical = refs[v.Ref];
    if (physical === undefined) throw new Error(`no physical id for Ref ${v.Ref}`);
    return physical;
  }
  if (v['Fn::Join'])
    return v['Fn::Join'][1].map((part) => resolveIntrinsics(part, refs)).join(v['Fn::Join'][0]);
  throw new Error(`cannot resolve ${JSON.stringify(value)}`);
}

/** Bytes of every file under `dir`. */
export function treeBytes(dir: string): number {
  return readdirSync(dir, { withFileTypes: true }).reduce((sum, entry) => {
    const path = join(dir, entry.name);
    return sum + (entry.isDirectory() ? treeBytes(path) : statSync(path).size);
  }, 0);
}

/** Zips an asset folder as `cdk deploy` does (the folder's contents at the archive's root). */
export async function zipAsset(assetDir: string, zipFile: string): Promise<number> {
  await run('zip', ['-q', '-r', '-X', zipFile, '.'], { cwd: assetDir });
  return statSync(zipFile).size;
}

/** What Lambda does with the uploaded zip: unpacks it into the task root. */
export async function unzipInto(zipFile: string, taskRoot: string): Promise<void> {
  mkdirSync(taskRoot, { recursive: true });
  await run('unzip', ['-q', zipFile, '-d', taskRoot]);
}

/** cfn-lint's findings on a template, as JSON. */
export async function cfnLint(
  templateFile: string,
): Promise<Array<{ Rule: { Id: string }; Message: string; Level: string }>> {
  const result = await run('cfn-lint', ['--format', 'json', templateFile]).catch(
    (err: { stdout?: string; code?: number }) => {
      // cfn-lint exits non-zero when it finds anything; its findings are on stdout all the same.
      if (typeof err.stdout === 'string' && err.stdout.trim().startsWith('[')) return { stdout: err.stdout };
      throw err as Error;
    },
  );
  return JSON.parse(result.stdout) as Array<{ Rule: { Id: string }; Message: string; Level: string }>;
}

import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseTemplate, type CfnTemplate } from '../../src/domain/cfn-template';

export { parseTemplate, type CfnResource, type CfnTemplate } from '../../src/domain/cfn-template';

export const REPO = resolve(__dirname, '../..');
const STACKSETS = join(REPO, 'stacksets');

/** Every StackSet template, as a path relative to the repo (SCP documents live in stacksets/scp/). */
export function templateFiles(): string[] {
  return readdirSync(STACKSETS)
    .filter((f) => f.endsWith('.yaml') || f.endsWith('.yml'))
    .sort()
    .map((f) => `stacksets/${f}`);
}

export function readTemplate(file: string): CfnTemplate {
  return parseTemplate(readFileSync(join(REPO, file), 'utf8'));
}

export interface NagAcknowledgement {
  logicalId: string;
  id: string;
  reason: string;
}

/** The cdk-nag acknowledgements a template carries in its resources' `Metadata.cdk_nag`. */
export function nagAcknowledgements(template: CfnTemplate): NagAcknowledgement[] {
  return Object.entries(template.Resources).flatMap(([logicalId, resource]) => {
    const nag = resource.Metadata?.cdk_nag as
      { rules_to_suppress?: Array<{ id: string; reason: string }> } | undefined;
    return (nag?.rules_to_suppress ?? []).map(({ id, reason }) => ({ logicalId, id, reason }));
  });
}

/** `[resource, attribute]` of every `Fn::GetAtt`, explicit or implicit in a `Fn::Sub` string. */
export function getAttReferences(template: CfnTemplate): Array<[string, string]> {
  const found: Array<[string, string]> = [];
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) {
      node.forEach(visit);
      return;
    }
    if (node === null || typeof node !== 'object') return;
    for (const [key, value] of Object.entries(node)) {
      if (key === 'Fn::GetAtt') {
        const [resource, attribute] = (typeof value === 'string' ? value.split('.') : value) as string[];
        found.push([String(resource), String(attribute)]);
      }
      if (key === 'Fn::Sub') {
        const text: unknown = Array.isArray(value) ? value[0] : value;
        for (const m of String(text).matchAll(/\$\{([A-Za-z0-9]+)\.([A-Za-z0-9.]+)\}/g)) {
          found.push([m[1] ?? '', m[2] ?? '']);
        }
      }
      visit(value);
    }
  };
  visit(template.Resources);
  visit(template.Outputs);
  return found;
}

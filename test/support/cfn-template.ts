import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse, type CollectionTag, type ScalarTag, type YAMLMap, type YAMLSeq } from 'yaml';

export const REPO = resolve(__dirname, '../..');
const STACKSETS = join(REPO, 'stacksets');

/** Every StackSet template, as a path relative to the repo (SCP documents live in stacksets/scp/). */
export function templateFiles(): string[] {
  return readdirSync(STACKSETS)
    .filter((f) => f.endsWith('.yaml') || f.endsWith('.yml'))
    .sort()
    .map((f) => `stacksets/${f}`);
}

export interface CfnResource {
  Type: string;
  Condition?: string;
  Metadata?: Record<string, unknown>;
  Properties?: Record<string, unknown>;
}

export interface CfnTemplate {
  Parameters?: Record<string, { Type: string; Default?: unknown }>;
  Resources: Record<string, CfnResource>;
  Outputs?: Record<string, unknown>;
}

/** Short form `!Name` → long form: `Ref`, `Condition`, or `Fn::Name`. */
const longName = (short: string): string =>
  short === 'Ref' || short === 'Condition' ? short : `Fn::${short}`;

const SHORT_FORMS = [
  'Ref',
  'Condition',
  'Base64',
  'Cidr',
  'FindInMap',
  'GetAtt',
  'GetAZs',
  'ImportValue',
  'Join',
  'Select',
  'Split',
  'Sub',
  'Transform',
  'And',
  'Equals',
  'If',
  'Not',
  'Or',
];

/** CloudFormation's short-form tags, resolved to the long form CloudFormation itself sees. */
const CFN_TAGS: Array<ScalarTag | CollectionTag> = SHORT_FORMS.flatMap((name) => {
  const key = longName(name);
  const collection = (kind: 'seq' | 'map'): CollectionTag => ({
    tag: `!${name}`,
    collection: kind,
    resolve: (node: YAMLMap.Parsed | YAMLSeq.Parsed): unknown => ({ [key]: node.toJSON() as unknown }),
  });
  const scalar: ScalarTag = {
    tag: `!${name}`,
    // `!GetAtt A.B` is the only scalar short form whose long form is a list.
    resolve: (value: string): unknown => ({
      [key]: name === 'GetAtt' ? value.split(/\.(.*)/s).slice(0, 2) : value,
    }),
  };
  return [scalar, collection('seq'), collection('map')];
});

export function parseTemplate(text: string): CfnTemplate {
  return parse(text, { customTags: CFN_TAGS }) as CfnTemplate;
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

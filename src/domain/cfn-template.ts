import { parse, type CollectionTag, type ScalarTag, type YAMLMap, type YAMLSeq } from 'yaml';

/** A CloudFormation template as CloudFormation sees it: short-form tags (`!Sub`) in their long form. */
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

const parsedTemplates = new Map<string, CfnTemplate>();
/** Distinct template texts kept parsed (a config has a handful). */
const PARSED_TEMPLATES_KEPT = 64;

/**
 * parseTemplate, once per text, for readers of the same templates over and over (verification
 * reads the boundary's template for every account). Callers must not change the result.
 */
export function parseTemplateOnce(text: string): CfnTemplate {
  let template = parsedTemplates.get(text);
  if (template) return template;
  if (parsedTemplates.size >= PARSED_TEMPLATES_KEPT) parsedTemplates.clear();
  parsedTemplates.set(text, (template = parseTemplate(text)));
  return template;
}

/**
 * A template fragment with each `Fn::Sub` string resolved from `variables` (pseudo parameters such
 * as `AWS::AccountId`). A `Fn::Sub` naming a variable not given is left as it is.
 */
export function substitute(node: unknown, variables: Record<string, string>): unknown {
  if (Array.isArray(node)) return node.map((n) => substitute(n, variables));
  if (node === null || typeof node !== 'object') return node;
  const entries: Array<[string, unknown]> = Object.entries(node);
  const sub: unknown = entries.length === 1 && entries[0]?.[0] === 'Fn::Sub' ? entries[0][1] : undefined;
  if (typeof sub === 'string') {
    const names = [...sub.matchAll(/\$\{([^}]+)\}/g)].map((m) => m[1] ?? '');
    if (names.every((n) => n in variables))
      return sub.replace(/\$\{([^}]+)\}/g, (_, n: string) => variables[n] ?? '');
  }
  return Object.fromEntries(entries.map(([k, v]) => [k, substitute(v, variables)]));
}

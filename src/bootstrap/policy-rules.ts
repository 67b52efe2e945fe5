import { canonicalJson } from '../domain/canonical-json';
import type { Problem } from '../domain/errors';
import type { PolicyType } from '../domain/ports/aws';
import { targetLabel, type OuPath } from './actions';

/** AWS's size limit for an SCP document, counted after whitespace is removed. */
export const MAX_SCP_CHARACTERS = 5120;
/** AWS's quota of SCPs attached to one root, OU or account, the default FullAWSAccess included. */
export const MAX_SCPS_PER_TARGET = 5;
export const FULL_AWS_ACCESS = 'FullAWSAccess';

export interface PolicyDocument {
  /** Key under `policies` in the config. */
  name: string;
  type: PolicyType;
  /** The path as written in the config, so messages name the file the operator edits. */
  file: string;
  text: string;
}

/** Parses a JSON document; undefined if it is not JSON. */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** The document without whitespace outside strings: what AWS stores and counts. */
export function minifyJson(text: string): string {
  return JSON.stringify(JSON.parse(text));
}

/** The document with keys sorted at every level, for comparing documents by meaning. */
export function canonicalDocument(text: string): string {
  const parsed = parseJson(text);
  return parsed === undefined ? text : canonicalJson(parsed);
}

/** Replaces every whole-string `"{{name}}"` in a JSON template with its value (a list becomes an array). */
export function renderPolicyTemplate(
  text: string,
  values: Record<string, string | string[]>,
): { text: string; unknown: string[] } {
  const parsed = parseJson(text);
  if (parsed === undefined) return { text, unknown: [] };
  const unknown = new Set<string>();
  const render = (v: unknown): unknown => {
    if (typeof v === 'string') {
      const name = PLACEHOLDER.exec(v)?.[1];
      if (name === undefined) return v;
      if (!(name in values)) unknown.add(name);
      return values[name] ?? v;
    }
    if (Array.isArray(v))
      return v.flatMap((x) => (isPlaceholderList(x, values) ? (render(x) as string[]) : [render(x)]));
    if (v !== null && typeof v === 'object')
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, render(x)]));
    return v;
  };
  return { text: JSON.stringify(render(parsed), null, 2), unknown: [...unknown] };
}

const PLACEHOLDER = /^\{\{(\w+)\}\}$/;
/** A placeholder for a list inside an array is spliced into it, not nested. */
const isPlaceholderList = (v: unknown, values: Record<string, string | string[]>): boolean =>
  typeof v === 'string' && Array.isArray(values[PLACEHOLDER.exec(v)?.[1] ?? '']);

type DocumentRule = (doc: PolicyDocument, parsed: unknown) => string[];

const isScp = (doc: PolicyDocument): boolean => doc.type === 'SERVICE_CONTROL_POLICY';
const isObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);
const hasKey = (parsed: unknown, key: string): boolean => isObject(parsed) && key in parsed;
const when = (condition: boolean, message: string): string[] => (condition ? [message] : []);

/** `service:Action`, wildcards allowed, or `*` alone. */
const ACTION = /^(\*|[a-z0-9-]+:[A-Za-z0-9*?]+)$/;
const EFFECTS = ['Allow', 'Deny'];

/** The document's statements (a single statement may be written as an object). */
function statements(parsed: unknown): unknown[] {
  const s = isObject(parsed) ? parsed['Statement'] : undefined;
  return Array.isArray(s) ? s : s === undefined ? [] : [s];
}

/** The action strings of a statement's Action or NotAction, and the entries that are not strings. */
function actionsOf(statement: Record<string, unknown>): unknown[] {
  return ['Action', 'NotAction'].flatMap((key) => {
    const v = statement[key];
    return v === undefined ? [] : Array.isArray(v) ? (v as unknown[]) : [v];
  });
}

function statementProblems(doc: PolicyDocument, statement: unknown, i: number): string[] {
  const at = `${doc.file} Statement[${i}]`;
  if (!isObject(statement)) return [`${at} is not an object`];
  const effect = statement['Effect'];
  const actions = actionsOf(statement);
  const bad = actions.filter((a) => typeof a !== 'string' || !ACTION.test(a));
  return [
    ...when(
      typeof effect !== 'string' || !EFFECTS.includes(effect),
      `${at} has Effect ${effect === undefined ? 'missing' : JSON.stringify(effect)}; use "Allow" or "Deny"`,
    ),
    ...when(actions.length === 0, `${at} has neither "Action" nor "NotAction"`),
    ...when(
      bad.length > 0,
      `${at} has action(s) not of the form service:Action (wildcards * ? allowed): ${bad.map((a) => JSON.stringify(a)).join(', ')}`,
    ),
  ];
}

/** The checks AWS would make when the policy is created, made before anything changes. */
const documentRules: DocumentRule[] = [
  (doc, parsed) =>
    when(
      isScp(doc) && JSON.stringify(parsed).length > MAX_SCP_CHARACTERS,
      `${doc.file} is ${JSON.stringify(parsed).length.toLocaleString('en-US')} characters without whitespace; ` +
        `a service control policy may have at most ${MAX_SCP_CHARACTERS.toLocaleString('en-US')} — split it into several policies`,
    ),
  (doc, parsed) =>
    when(isScp(doc) && !hasKey(parsed, 'Version'), `${doc.file} has no "Version" (use "2012-10-17")`),
  (doc, parsed) => when(isScp(doc) && !hasKey(parsed, 'Statement'), `${doc.file} has no "Statement"`),
  (doc, parsed) => (isScp(doc) ? statements(parsed).flatMap((s, i) => statementProblems(doc, s, i)) : []),
];

/** Every problem with the policy documents, located at `policies.<name>.file`. */
export function policyDocumentProblems(docs: PolicyDocument[]): Problem[] {
  return docs.flatMap((doc) => {
    const path = `policies.${doc.name}.file`;
    const parsed = parseJson(doc.text);
    if (parsed === undefined) return [{ path, message: `${doc.file} is not valid JSON` }];
    return documentRules.flatMap((rule) => rule(doc, parsed)).map((message) => ({ path, message }));
  });
}

export interface TargetScps {
  target: OuPath;
  /** Config field that lists the target's policies, for the problem's path. */
  field: string;
  /** SCP names attached now, FullAWSAccess and ones the config does not know included. */
  attached: string[];
  /** SCP names the config attaches. */
  desired: string[];
}

/** Targets that would end with more SCPs than AWS allows (bootstrap never detaches). */
export function scpCountProblems(targets: TargetScps[]): Problem[] {
  return targets.flatMap(({ target, field, attached, desired }) => {
    const all = [...new Set([FULL_AWS_ACCESS, ...attached, ...desired])];
    if (all.length <= MAX_SCPS_PER_TARGET) return [];
    return [
      {
        path: field,
        message:
          `${targetLabel(target)} would have ${all.length} SCPs attached (${all.join(', ')}); AWS allows at most ` +
          `${MAX_SCPS_PER_TARGET} per target, the default ${FULL_AWS_ACCESS} included — merge policies or attach some higher up`,
      },
    ];
  });
}

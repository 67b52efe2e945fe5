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
export function canonicalJson(text: string): string {
  const sort = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(sort)
      : v !== null && typeof v === 'object'
        ? Object.fromEntries(
            Object.entries(v)
              .sort(([a], [b]) => a.localeCompare(b))
              .map(([k, x]) => [k, sort(x)]),
          )
        : v;
  const parsed = parseJson(text);
  return parsed === undefined ? text : JSON.stringify(sort(parsed));
}

type DocumentRule = (doc: PolicyDocument, parsed: unknown) => string | undefined;

const isScp = (doc: PolicyDocument): boolean => doc.type === 'SERVICE_CONTROL_POLICY';
const hasKey = (parsed: unknown, key: string): boolean =>
  parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) && key in parsed;

/** The checks AWS would make when the policy is created, made before anything changes. */
const documentRules: DocumentRule[] = [
  (doc, parsed) =>
    isScp(doc) && JSON.stringify(parsed).length > MAX_SCP_CHARACTERS
      ? `${doc.file} is ${JSON.stringify(parsed).length.toLocaleString('en-US')} characters without whitespace; ` +
        `a service control policy may have at most ${MAX_SCP_CHARACTERS.toLocaleString('en-US')} — split it into several policies`
      : undefined,
  (doc, parsed) =>
    isScp(doc) && !hasKey(parsed, 'Version') ? `${doc.file} has no "Version" (use "2012-10-17")` : undefined,
  (doc, parsed) =>
    isScp(doc) && !hasKey(parsed, 'Statement') ? `${doc.file} has no "Statement"` : undefined,
];

/** Every problem with the policy documents, located at `policies.<name>.file`. */
export function policyDocumentProblems(docs: PolicyDocument[]): Problem[] {
  return docs.flatMap((doc) => {
    const path = `policies.${doc.name}.file`;
    const parsed = parseJson(doc.text);
    if (parsed === undefined) return [{ path, message: `${doc.file} is not valid JSON` }];
    return documentRules
      .map((rule) => rule(doc, parsed))
      .filter((m): m is string => m !== undefined)
      .map((message) => ({ path, message }));
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

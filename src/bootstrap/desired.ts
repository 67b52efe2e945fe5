import { readFileSync } from 'node:fs';
import { parseDocument } from 'yaml';
import { configPath, type LoadedConfig } from '../config/load';
import type { Problem } from '../domain/errors';
import type { PermissionSetDefinition, PolicyType, StackSetDefinition } from '../domain/ports/aws';
import type { FoundationAccountKey, OuPath } from './actions';
import { desiredFinance, type DesiredFinance } from './finance';
import { policyTemplateValues } from './names';
import { ORG_SERVICE_PRINCIPALS } from './org-services';
import {
  minifyJson,
  parseJson,
  policyDocumentProblems,
  renderPolicyTemplate,
  type PolicyDocument,
} from './policy-rules';

/** Trusted access bootstrap turns on: service-managed StackSets, Identity Center, the security services. */
export const SERVICE_PRINCIPALS = [
  'member.org.stacksets.cloudformation.amazonaws.com',
  'sso.amazonaws.com',
  ...ORG_SERVICE_PRINCIPALS,
];

export interface DesiredPolicy {
  name: string;
  type: PolicyType;
  description: string;
  /** Minified document, as uploaded. */
  content: string;
  file: string;
}

export interface DesiredAttachment {
  name: string;
  type: PolicyType;
  target: OuPath;
  /** Config field listing it, for problems. */
  field: string;
}

export interface DesiredAccount {
  key: FoundationAccountKey;
  name: string;
  email: string;
  ouPath: OuPath;
}

/** The foundation the config describes, with every file read and checked. */
export interface DesiredFoundation {
  policyTypes: PolicyType[];
  servicePrincipals: string[];
  /** Parents before children. */
  ouPaths: OuPath[];
  policies: DesiredPolicy[];
  attachments: DesiredAttachment[];
  accounts: DesiredAccount[];
  permissionSets: PermissionSetDefinition[];
  /** Identity Center groups to create: only in demo mode. */
  groups: string[];
  stackSets: StackSetDefinition[];
  /** Where the organisation's security services are administered: the governed regions. */
  regions: string[];
  homeRegion: string;
  /** Cost allocation tags and the budget actions' execution role. */
  finance: DesiredFinance;
}

export interface DesiredOptions {
  /** Create the configured Identity Center groups (demo only; real ones come from the IdP). */
  createGroups?: boolean;
}

/** Reads the config's files into the desired foundation; every problem found is returned at once. */
export function desiredFoundation(
  loaded: LoadedConfig,
  options: DesiredOptions = {},
): { desired: DesiredFoundation; problems: Problem[] } {
  const { config } = loaded;
  const read = (file: string): string => readFileSync(configPath(loaded, file), 'utf8');
  const values = policyTemplateValues(config);
  const rendered = Object.entries(config.policies).map(([name, p]) => ({
    name,
    type: p.type,
    file: p.file,
    ...renderPolicyTemplate(read(p.file), values),
  }));
  const documents: PolicyDocument[] = rendered.map(({ name, type, file, text }) => ({
    name,
    type,
    file,
    text,
  }));
  const problems: Problem[] = [
    ...rendered.flatMap((d) =>
      d.unknown.map((name) => ({
        path: `policies.${d.name}.file`,
        message: `${d.file} uses an unknown placeholder {{${name}}} (known: ${Object.keys(values).join(', ')})`,
      })),
    ),
    ...policyDocumentProblems(documents),
  ];
  const bad = new Set(problems.map((p) => p.path));
  const policies = documents
    .filter((d) => !bad.has(`policies.${d.name}.file`))
    .map((d) => ({
      name: d.name,
      type: d.type,
      description: config.policies[d.name]?.description ?? '',
      content: minifyJson(d.text),
      file: d.file,
    }));
  const typeOf = (name: string): PolicyType => config.policies[name]?.type ?? 'SERVICE_CONTROL_POLICY';
  const attachments: DesiredAttachment[] = [
    ...config.rootPolicies.map((name) => ({ name, type: typeOf(name), target: '', field: 'rootPolicies' })),
    ...config.organizationalUnits.flatMap((ou, i) =>
      ou.policies.map((name) => ({
        name,
        type: typeOf(name),
        target: ou.path,
        field: `organizationalUnits[${i}].policies`,
      })),
    ),
  ];
  const permissionSets = config.permissionSets.map((ps, i): PermissionSetDefinition => {
    const def: PermissionSetDefinition = {
      name: ps.name,
      description: ps.description,
      sessionDuration: ps.sessionDuration,
      managedPolicies: ps.managedPolicies,
    };
    if (ps.inlinePolicyFile === undefined) return def;
    const text = read(ps.inlinePolicyFile);
    if (parseJson(text) === undefined) {
      problems.push({
        path: `permissionSets[${i}].inlinePolicyFile`,
        message: `${ps.inlinePolicyFile} is not valid JSON`,
      });
      return def;
    }
    return { ...def, inlinePolicy: minifyJson(text) };
  });
  const stackSets = config.stackSets.map((s, i): StackSetDefinition => {
    const templateBody = read(s.template);
    const parameters = stackSetParameters(templateBody, {
      ...s.parameters,
      HomeRegion: config.homeRegion,
      BaselineVersion: s.version,
    });
    problems.push(...parameterProblems(templateBody, s.parameters, `stackSets[${i}]`, s.template));
    return {
      name: s.name,
      description: s.description,
      templateBody,
      parameters,
      capabilities: s.capabilities,
    };
  });
  return {
    desired: {
      policyTypes: [...new Set<PolicyType>(['SERVICE_CONTROL_POLICY', ...documents.map((d) => d.type)])],
      servicePrincipals: SERVICE_PRINCIPALS,
      ouPaths: parentsFirst(config.organizationalUnits.map((o) => o.path)),
      policies,
      attachments,
      accounts: (['logArchive', 'security'] as const).map((key) => ({
        key,
        name: config.organization[key].name,
        email: config.organization[key].email,
        ouPath: config.organization[key].organizationalUnit,
      })),
      permissionSets,
      groups: options.createGroups ? config.groups.map((g) => g.name) : [],
      stackSets,
      regions: config.governedRegions,
      homeRegion: config.homeRegion,
      finance: desiredFinance(config),
    },
    problems,
  };
}

/** Sorted by depth, so a parent is always created before its children. */
function parentsFirst(paths: OuPath[]): OuPath[] {
  const depth = (p: string): number => p.split('/').length;
  return [...paths].sort((a, b) => depth(a) - depth(b));
}

type TemplateParameters = Readonly<Record<string, { Default?: unknown }>>;

/**
 * Parameters sections by template text. Parsing a template is most of the work of rendering the
 * config (the baseline version, the bootstrap plan), and the same text always declares the same
 * parameters, so each template is parsed once per process.
 */
const parametersByTemplate = new Map<string, TemplateParameters>();
const TEMPLATES_REMEMBERED = 64;

/** The template's Parameters section (CloudFormation's short-form tags are left unresolved). */
function templateParameters(templateBody: string): TemplateParameters {
  const known = parametersByTemplate.get(templateBody);
  if (known) return known;
  const parsed = parseDocument(templateBody, { logLevel: 'silent' }).toJS() as unknown;
  const params =
    parsed !== null && typeof parsed === 'object'
      ? (parsed as { Parameters?: unknown }).Parameters
      : undefined;
  const declared: TemplateParameters =
    params !== null && typeof params === 'object' ? (params as TemplateParameters) : {};
  if (parametersByTemplate.size >= TEMPLATES_REMEMBERED) parametersByTemplate.clear();
  parametersByTemplate.set(templateBody, declared);
  return declared;
}

/** Only what the template declares: CloudFormation rejects parameters a template does not have. */
function stackSetParameters(templateBody: string, values: Record<string, string>): Record<string, string> {
  const declared = templateParameters(templateBody);
  return Object.fromEntries(Object.entries(values).filter(([k]) => k in declared));
}

function parameterProblems(
  templateBody: string,
  given: Record<string, string>,
  field: string,
  file: string,
): Problem[] {
  const declared = templateParameters(templateBody);
  const supplied = new Set([...Object.keys(given), 'HomeRegion', 'BaselineVersion']);
  return [
    ...Object.keys(given)
      .filter((k) => !(k in declared))
      .map((k) => ({ path: `${field}.parameters.${k}`, message: `${file} declares no parameter ${k}` })),
    ...Object.entries(declared)
      .filter(([k, p]) => p.Default === undefined && !supplied.has(k))
      .map(([k]) => ({
        path: `${field}.parameters`,
        message: `${file} needs a value for ${k} (it has no Default)`,
      })),
  ];
}

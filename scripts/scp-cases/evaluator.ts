import { readFileSync } from 'node:fs';
import { runSimulation } from '@cloud-copilot/iam-simulate';
import { validateServiceControlPolicy } from '@cloud-copilot/iam-policy';
import { parse } from 'yaml';
import { z } from 'zod';
import type { LoadedConfig } from '../../src/config/load';
import { desiredFoundation } from '../../src/bootstrap/desired';
import { FULL_AWS_ACCESS } from '../../src/bootstrap/policy-rules';

/**
 * The outside evaluator for the SCP library: the rendered SCPs of a config, attached as bootstrap
 * attaches them (AWS's FullAWSAccess at the root, every OU on the path and the account), judged
 * by @cloud-copilot/iam-simulate against a table of request cases a security reviewer can read.
 */

const ALLOW_ALL = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] };

/** The case table's file: principals, accounts and cases (test/guardrails/scp-cases.yaml). */
const TableSchema = z
  .object({
    identityPolicies: z.record(z.string(), z.unknown()),
    principals: z.record(
      z.string(),
      z.object({ role: z.string().optional(), root: z.boolean().optional(), identity: z.string() }).strict(),
    ),
    accounts: z.record(
      z.string(),
      z
        .object({ id: z.string().regex(/^\d{12}$/), ou: z.string(), quarantined: z.boolean().default(false) })
        .strict(),
    ),
    cases: z.array(
      z
        .object({
          control: z.string(),
          who: z.string(),
          action: z.string(),
          resource: z.string().default('*'),
          region: z.string().default('us-east-1'),
          account: z.string(),
          context: z.record(z.string(), z.union([z.string(), z.array(z.string())])).default({}),
          expect: z.enum(['Allow', 'Deny']),
          why: z.string().optional(),
        })
        .strict(),
    ),
  })
  .strict();
export type CaseTable = z.infer<typeof TableSchema>;
export type Case = CaseTable['cases'][number];

export function loadCaseTable(file: string): CaseTable {
  return TableSchema.parse(parse(readFileSync(file, 'utf8')));
}

/** SCP name → rendered document, and which names are attached where (root and OU paths). */
export interface OrgScps {
  documents: Record<string, unknown>;
  attached: Map<string, string[]>;
}

/** The config's SCPs as bootstrap would render, upload and attach them. */
export function orgScps(loaded: LoadedConfig): OrgScps {
  const { desired, problems } = desiredFoundation(loaded);
  if (problems.length > 0) throw new Error(problems.map((p) => `${p.path}: ${p.message}`).join('\n'));
  const scps = desired.policies.filter((p) => p.type === 'SERVICE_CONTROL_POLICY');
  const attached = new Map<string, string[]>();
  for (const a of desired.attachments.filter((x) => x.type === 'SERVICE_CONTROL_POLICY'))
    attached.set(a.target, [...(attached.get(a.target) ?? []), a.name]);
  return {
    documents: Object.fromEntries(scps.map((p) => [p.name, JSON.parse(p.content) as unknown])),
    attached,
  };
}

/** Problems @cloud-copilot/iam-policy finds in each SCP document (none expected). */
export function scpSyntaxProblems(scps: OrgScps): string[] {
  return Object.entries(scps.documents).flatMap(([name, doc]) =>
    validateServiceControlPolicy(doc).map((p) => `${name} ${p.path}: ${p.message}`),
  );
}

/** The levels of the hierarchy above and at the account, root first, each with FullAWSAccess. */
function levels(scps: OrgScps, account: CaseTable['accounts'][string], quarantine?: string) {
  const parts = account.ou.split('/');
  const paths = ['', ...parts.map((_, i) => parts.slice(0, i + 1).join('/'))];
  const level = (id: string, names: string[]) => ({
    orgIdentifier: id,
    policies: [
      { name: FULL_AWS_ACCESS, policy: ALLOW_ALL },
      ...names.map((name) => ({ name, policy: scps.documents[name] })),
    ],
  });
  return [
    ...paths.map((p) => level(p === '' ? 'r-root' : `ou:${p}`, scps.attached.get(p) ?? [])),
    level(account.id, account.quarantined && quarantine ? [quarantine] : []),
  ];
}

/** `Allow`, `Deny`, or why the simulator could not judge the case. */
export type Decision = string;

export interface CaseResult {
  index: number;
  case: Case;
  /** Allow, Deny, or the simulator's validation error. */
  got: Decision;
  ok: boolean;
}

/** Runs one request through the simulator: identity policy, SCPs at every level, context keys. */
export async function evaluateCase(
  table: CaseTable,
  scps: OrgScps,
  quarantine: string | undefined,
  c: Case,
): Promise<Decision> {
  const account = table.accounts[c.account];
  const who = table.principals[c.who];
  if (!account) return `unknown account ${c.account}`;
  if (!who) return `unknown principal ${c.who}`;
  const principal = who.root
    ? `arn:aws:iam::${account.id}:root`
    : `arn:aws:iam::${account.id}:role/${who.role ?? ''}`;
  const result = await runSimulation(
    {
      request: {
        principal,
        action: c.action,
        resource: { resource: c.resource.replaceAll('{account}', account.id), accountId: account.id },
        contextVariables: {
          'aws:PrincipalArn': principal,
          'aws:PrincipalAccount': account.id,
          'aws:RequestedRegion': c.region,
          ...c.context,
        },
      },
      identityPolicies: [{ name: who.identity, policy: table.identityPolicies[who.identity] }],
      serviceControlPolicies: levels(scps, account, quarantine),
      resourceControlPolicies: [],
    },
    {},
  );
  if (result.resultType === 'error') return `simulator refused the case: ${JSON.stringify(result.errors)}`;
  return result.overallResult === 'Allowed' ? 'Allow' : 'Deny';
}

/** Every case of the table, in order. */
export async function evaluateTable(
  table: CaseTable,
  scps: OrgScps,
  quarantine: string | undefined,
): Promise<CaseResult[]> {
  const results: CaseResult[] = [];
  for (const [index, c] of table.cases.entries()) {
    const got = await evaluateCase(table, scps, quarantine, c);
    results.push({ index, case: c, got, ok: got === c.expect });
  }
  return results;
}

/** One line per case for a reviewer: `#12 G-2 admin config:DisassociateResourceTypes in nonprod → Deny`. */
export const describeCase = (r: CaseResult): string =>
  `#${r.index + 1} ${r.case.control} ${r.case.who} ${r.case.action}${r.case.resource === '*' ? '' : ` on ${r.case.resource}`} ` +
  `in ${r.case.account}@${r.case.region}: expected ${r.case.expect}, got ${r.got}`;

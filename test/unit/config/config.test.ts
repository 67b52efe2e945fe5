import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse, stringify } from 'yaml';
import { loadConfig, parseConfig } from '../../../src/config/load';
import { ConfigError } from '../../../src/domain/errors';

const EXAMPLE = resolve(__dirname, '../../../factory.config.yaml');
const exampleDoc = (): Record<string, unknown> =>
  parse(readFileSync(EXAMPLE, 'utf8')) as Record<string, unknown>;

/** Parses a modified example as if it sat beside the example (so its relative files resolve). */
function problemsOf(doc: unknown): Array<{ path: string; message: string }> {
  try {
    parseConfig(stringify(doc), EXAMPLE);
  } catch (e) {
    if (e instanceof ConfigError) return e.problems;
    throw e;
  }
  throw new Error('expected the config to be rejected');
}

describe('config', () => {
  it('loads the example organisation (README, Configuration)', () => {
    const { config } = loadConfig(EXAMPLE);
    expect(config.governedRegions).toEqual(['us-east-1', 'eu-west-1']);
    expect(config.organizationalUnits.map((o) => o.path)).toEqual(
      expect.arrayContaining([
        'Security',
        'Infrastructure',
        'Workloads/Prod',
        'Workloads/NonProd',
        'Sandbox',
        'Suspended',
      ]),
    );
    expect(config.organizationalUnits.find((o) => o.path === 'Workloads/Prod')?.requiresApproval).toBe(true);
    expect(config.permissionSets.map((p) => p.name)).toEqual([
      'ReadOnly',
      'Developer',
      'Admin',
      'SecurityTriage',
    ]);
    expect(config.groups).toEqual([
      { name: 'payments-developers', permissionSets: ['ReadOnly', 'Developer'], teams: ['payments'] },
      { name: 'ledger-developers', permissionSets: ['ReadOnly', 'Developer'], teams: ['ledger'] },
    ]);
    expect(config.teams[0]?.organizationalUnits).not.toContain('Security');
    expect(config.budgets.financeRecipients).toEqual(['finance@example.com']);
    expect(config.drift.remediate).toBe(true);
  });

  it('refreshes the organisation account index hourly unless worker.accountIndexRefreshMinutes says otherwise (5 to 1440)', () => {
    expect(loadConfig(EXAMPLE).config.worker.accountIndexRefreshMinutes).toBe(60);
    const doc = exampleDoc();
    const worker = (doc.worker ?? {}) as Record<string, unknown>;
    doc.worker = { ...worker, accountIndexRefreshMinutes: 15 };
    expect(parseConfig(stringify(doc), EXAMPLE).config.worker.accountIndexRefreshMinutes).toBe(15);
    doc.worker = { ...worker, accountIndexRefreshMinutes: 1 };
    expect(problemsOf(doc).map((p) => p.path)).toEqual(['worker.accountIndexRefreshMinutes']);
  });

  it('fails when the file does not exist, naming it', () => {
    expect(() => loadConfig('/nonexistent/avf.yaml')).toThrow(/\/nonexistent\/avf.yaml.*does not exist/s);
  });

  it('fails on broken YAML with the parser message', () => {
    expect(() => parseConfig('version: [1', EXAMPLE)).toThrow(/YAML/);
  });

  it('reports every shape problem at once, each with its field path', () => {
    const doc = exampleDoc();
    doc.governedRegions = ['us-east-1', 'moon-1'];
    (doc.budgets as Record<string, unknown>).financeRecipients = ['not-an-email'];
    doc.teamz = [];
    const paths = problemsOf(doc).map((p) => p.path);
    expect(paths).toEqual(expect.arrayContaining(['governedRegions[1]', 'budgets.financeRecipients[0]', '']));
    expect(problemsOf(doc).some((p) => /teamz/.test(p.message))).toBe(true);
  });

  it("refuses a region AWS does not have (the SDK's region list), and one outside homeRegion's partition", () => {
    const typo = exampleDoc();
    typo.governedRegions = ['us-east-1', 'eu-wst-1'];
    expect(problemsOf(typo)).toEqual([
      { path: 'governedRegions[1]', message: expect.stringMatching(/eu-wst-1 is not an AWS region/) },
    ]);
    const pseudo = exampleDoc();
    pseudo.governedRegions = ['us-east-1', 'aws-global'];
    expect(problemsOf(pseudo).map((p) => p.path)).toEqual(['governedRegions[1]']);
    const china = exampleDoc();
    china.governedRegions = ['us-east-1', 'cn-north-1'];
    expect(problemsOf(china)).toEqual([
      { path: 'governedRegions[1]', message: 'cn-north-1 is not in the aws partition of homeRegion' },
    ]);
    const newer = exampleDoc();
    newer.governedRegions = ['us-east-1', 'mx-central-1', 'il-central-1'];
    expect(parseConfig(stringify(newer), EXAMPLE).config.governedRegions).toEqual(newer.governedRegions);
  });

  it('reports every broken reference at once', () => {
    const doc = exampleDoc();
    const ous = doc.organizationalUnits as Array<Record<string, unknown>>;
    ous.push({ path: 'Orphan/Child' });
    ous[0]!.policies = ['no-such-policy'];
    (doc.groups as Array<Record<string, unknown>>)[0]!.permissionSets = ['ReadOnly', 'Nope'];
    (doc.teams as Array<Record<string, unknown>>)[0]!.organizationalUnits = ['Workloads/NonProd', 'Mars'];
    (doc.stackSets as Array<Record<string, unknown>>)[0]!.template = 'stacksets/missing.yaml';
    doc.homeRegion = 'ap-south-1';
    const problems = problemsOf(doc);
    expect(problems.map((p) => p.path)).toEqual(
      expect.arrayContaining([
        'organizationalUnits[7].path',
        'organizationalUnits[0].policies[0]',
        'groups[0].permissionSets[1]',
        'teams[0].organizationalUnits[1]',
        'stackSets[0].template',
        'homeRegion',
      ]),
    );
    expect(problems.find((p) => p.path === 'organizationalUnits[7].path')?.message).toMatch(
      /parent OU Orphan/,
    );
  });

  it('fails when a default access grant names a permission set the group may not receive', () => {
    const doc = exampleDoc();
    (doc.teams as Array<Record<string, unknown>>)[0]!.defaultAccess = [
      { group: 'payments-developers', permissionSet: 'Admin' },
    ];
    expect(problemsOf(doc)).toEqual([
      {
        path: 'teams[0].defaultAccess[0].permissionSet',
        message: 'group payments-developers may not receive Admin',
      },
    ]);
  });
});

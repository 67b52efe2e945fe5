import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ADAPTER_IAM_ACTIONS } from '../../src/aws/iam-actions';

const ADAPTER_FILES: Record<keyof typeof ADAPTER_IAM_ACTIONS, string[]> = {
  organizations: ['organizations.ts', 'organizations-read.ts'],
  stackSets: ['stacksets.ts'],
  identityCenter: ['identity-center.ts', 'identity-center-permission-sets.ts'],
  budgets: ['budgets.ts'],
  costExplorer: ['cost-explorer/spend.ts', 'cost-explorer/anomalies.ts', 'cost-explorer/tags.ts'],
  executionRoles: ['execution-roles.ts'],
  events: ['eventbridge.ts'],
  sts: ['sts.ts'],
  orgServices: [
    'org-services/access-analyzer.ts',
    'org-services/cloudtrail.ts',
    'org-services/delegated-admin.ts',
    'org-services/guardduty.ts',
    'org-services/kms.ts',
    'org-services/s3.ts',
    'org-services/securityhub.ts',
    'org-services/index.ts',
  ],
  memberAccount: [
    'account-settings/iam.ts',
    'account-settings/s3control.ts',
    'account-settings/ec2.ts',
    'account-settings/config.ts',
    'account-settings/guardduty.ts',
    'account-settings/account.ts',
    'account-settings/events.ts',
  ],
};

/** The IAM actions named in the method docs (`/** organizations:CreateAccount … *\/`). */
function documentedActions(files: string[]): string[] {
  const actions = new Set<string>();
  for (const file of files) {
    const source = readFileSync(join(__dirname, '../../src/aws', file), 'utf8');
    for (const doc of source.match(/\/\*\*[\s\S]*?\*\//g) ?? []) {
      for (const action of doc.match(/\b[a-z0-9-]+:[A-Z][A-Za-z]+\b/g) ?? []) actions.add(action);
    }
  }
  return [...actions].sort();
}

test.each(Object.entries(ADAPTER_FILES))('the %s action list matches the method docs', (adapter, files) => {
  const listed = [...ADAPTER_IAM_ACTIONS[adapter as keyof typeof ADAPTER_IAM_ACTIONS]].sort();
  expect(listed).toEqual(documentedActions(files));
});

import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ADAPTER_IAM_ACTIONS } from '../../src/aws/iam-actions';
import { iamActionsTable, withIamActionsTable } from '../../src/infra/iam-actions-table';

describe('README IAM actions table', () => {
  const readme = readFileSync(resolve(__dirname, '../../README.md'), 'utf8');

  it('is the one generated from the adapters’ action list the CDK stack grants from', () => {
    expect(readme).toBe(withIamActionsTable(readme));
  });

  it('names every action of every adapter', () => {
    const table = iamActionsTable();
    for (const action of Object.values(ADAPTER_IAM_ACTIONS).flat()) expect(table).toContain(`\`${action}\``);
  });
});

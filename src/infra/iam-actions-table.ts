import type { AwsPorts } from '../domain/ports/aws';
import { ADAPTER_IAM_ACTIONS } from '../aws/iam-actions';
import { apiActions, workerActions } from './factory-policy';

const START =
  '<!-- iam-actions:start (generated from src/aws/iam-actions.ts; test/infra/readme-iam-actions.test.ts) -->';
const END = '<!-- iam-actions:end -->';

/** Where each adapter's actions run: the factory's own role, or the role assumed in a member account. */
function grantedTo(adapter: keyof AwsPorts): string {
  if (adapter === 'memberAccount') return 'member role (assumed); `account:*` ones: factory role';
  if (adapter === 'sts')
    return 'factory role (AssumeRole only into the member access role, only in its organisation)';
  return 'factory role (worker)';
}

/** The README's table of IAM actions, the same list the CDK stack grants from. */
export function iamActionsTable(actions: typeof ADAPTER_IAM_ACTIONS = ADAPTER_IAM_ACTIONS): string {
  const rows = (Object.keys(actions) as (keyof AwsPorts)[]).map(
    (adapter) =>
      `| ${adapter} | ${grantedTo(adapter)} | ${actions[adapter].map((a) => `\`${a}\``).join(' ')} |`,
  );
  return [
    START,
    '| adapter | granted to | actions |',
    '|---|---|---|',
    ...rows,
    `| (API) | API function | the read-only actions (Describe, Get, List, View) the worker's factory role holds, from the management account only: no write, no AssumeRole (verify now, like every change, is run by the worker) |`,
    '| (store) | API and worker | DynamoDB read/write on the store table and its indexes, its KMS key |',
    '',
    `The worker's role holds ${workerActions().length} actions and the API's ${apiActions().length}, each by name; none is \`*\`.`,
    END,
  ].join('\n');
}

/** `readme` with its IAM actions table replaced by the generated one. */
export function withIamActionsTable(readme: string): string {
  const start = readme.indexOf('<!-- iam-actions:start');
  const end = readme.indexOf(END);
  if (start < 0 || end < start) throw new Error('README has no iam-actions markers');
  return readme.slice(0, start) + iamActionsTable() + readme.slice(end + END.length);
}

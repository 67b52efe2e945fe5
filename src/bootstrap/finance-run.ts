import { AvfError } from '../domain/errors';
import type { AwsPorts } from '../domain/ports/aws';
import { budgetActionsRoleDocuments, roleContext, type FinanceAction } from './finance';

const ROLE_DESCRIPTION =
  'AWS Budgets actions of the account factory: attaches and detaches the spending-freeze SCP';

/**
 * Runs finance's bootstrap actions. A tag key AWS refuses because no bill has carried it yet is
 * not a failure: it is reported as waiting, and the next run activates it.
 */
export class FinanceRunner {
  /** Keys AWS cannot activate yet, with its reason. */
  readonly waiting: string[] = [];

  constructor(
    private readonly ports: AwsPorts,
    private readonly homeRegion: string,
    /** The freeze SCP's id (created earlier in the run, or found). */
    private readonly policyId: (name: string) => string,
  ) {}

  async run(action: FinanceAction): Promise<void> {
    if (action.kind === 'activate-cost-allocation-tags') return this.activate(action.keys, action.unseen);
    const roles = this.ports.executionRoles;
    if (!roles) throw new AvfError('BOOTSTRAP_FAILED', 'no IAM client for the budget actions role');
    const ctx = await roleContext(this.ports, this.homeRegion, this.policyId(action.freezePolicy));
    if (!ctx)
      throw new AvfError('BOOTSTRAP_FAILED', `the organisation must exist before role ${action.roleName}`);
    const docs = budgetActionsRoleDocuments(ctx);
    if (action.kind === 'create-budget-actions-role')
      await roles.createRole(action.roleName, docs.trust, ROLE_DESCRIPTION);
    else await roles.updateTrustPolicy(action.roleName, docs.trust);
    await roles.putRolePolicy(action.roleName, action.roleName, docs.policy);
  }

  private async activate(keys: string[], unseen: string[]): Promise<void> {
    const refused = (await this.ports.costExplorer?.activateCostAllocationTags(keys)) ?? [];
    const failed = refused.filter((r) => !unseen.includes(r.key));
    if (failed.length > 0)
      throw new AvfError(
        'BOOTSTRAP_FAILED',
        `Cost Explorer refused to activate ${failed.map((r) => `${r.key} (${r.reason})`).join(', ')}`,
      );
    for (const r of refused)
      this.waiting.push(
        `cost allocation tag ${r.key}: not in the billing data yet (${r.reason}); AWS lists a tag key up to 24 hours after an account first carries it — run avf bootstrap again then`,
      );
  }
}

import type {
  AwsCredentials,
  BudgetInfo,
  BudgetsPort,
  BudgetSpec,
  StsPort,
} from '../../../src/domain/ports/aws';
import type {
  BudgetAction,
  BudgetActionExecution,
  BudgetActionStatus,
  BudgetSpend,
  FreezeActionSpec,
} from '../../../src/domain/ports/costs';
import { MANAGEMENT_ACCOUNT_ID } from './organizations';
import { awsError, pad, type FakeScript } from './script';

/** A stored action as AWS describes it (without what it was created from). */
function withoutSpec(a: BudgetAction & { spec: FreezeActionSpec }): BudgetAction {
  const copy: BudgetAction & { spec?: FreezeActionSpec } = { ...a };
  delete copy.spec;
  return copy;
}

/** Budgets in memory, per payer account; creating one that exists is success, as in the adapter. */
export class FakeBudgets implements BudgetsPort {
  /** `${payer}/${name}` → the spec it was created from */
  readonly budgets = new Map<string, BudgetSpec>();

  constructor(private readonly s: FakeScript) {}

  async findBudget(payerAccountId: string, name: string): Promise<BudgetInfo | undefined> {
    this.s.enter('findBudget');
    const spec = this.budgets.get(`${payerAccountId}/${name}`);
    return Promise.resolve(
      spec && {
        name: spec.name,
        monthlyLimitUsd: spec.monthlyLimitUsd,
        linkedAccountIds: [spec.linkedAccountId],
        notifications: spec.thresholdsPercent.flatMap((t) => [
          { type: 'ACTUAL' as const, thresholdPercent: t },
          { type: 'FORECASTED' as const, thresholdPercent: t },
        ]),
      },
    );
  }

  async createBudget(payerAccountId: string, spec: BudgetSpec): Promise<boolean> {
    this.s.enter('createBudget');
    const k = `${payerAccountId}/${spec.name}`;
    if (this.budgets.has(k)) return Promise.resolve(false);
    this.budgets.set(k, {
      ...spec,
      thresholdsPercent: [...spec.thresholdsPercent],
      emails: [...spec.emails],
    });
    return Promise.resolve(true);
  }

  async updateBudget(payerAccountId: string, spec: BudgetSpec): Promise<void> {
    this.s.enter('updateBudget');
    const k = `${payerAccountId}/${spec.name}`;
    const current = this.budgets.get(k);
    if (!current) throw awsError('updateBudget', 'NotFoundException', `no budget ${spec.name}`);
    this.budgets.set(k, {
      ...spec,
      linkedAccountId: current.linkedAccountId,
      thresholdsPercent: [...spec.thresholdsPercent],
      emails: [...spec.emails],
    });
    return Promise.resolve();
  }

  async deleteBudget(payerAccountId: string, name: string): Promise<void> {
    this.s.enter('deleteBudget');
    this.budgets.delete(`${payerAccountId}/${name}`);
    return Promise.resolve();
  }

  /** Budget name → what AWS Budgets calculated it has spent (set by tests). */
  readonly spend = new Map<string, { actualUsd: number; forecastUsd?: number }>();
  /** Budget actions by id, with the execution role and subscribers they were created with. */
  readonly actions = new Map<string, BudgetAction & { spec: FreezeActionSpec }>();

  async listBudgetSpend(payerAccountId: string): Promise<BudgetSpend[]> {
    this.s.enter('listBudgetSpend');
    const mine = [...this.budgets.entries()].filter(([k]) => k.startsWith(`${payerAccountId}/`));
    return Promise.resolve(
      mine.map(([, b]) => ({
        name: b.name,
        limitUsd: b.monthlyLimitUsd,
        actualUsd: 0,
        ...this.spend.get(b.name),
      })),
    );
  }

  async listBudgetActions(payerAccountId: string): Promise<BudgetAction[]> {
    this.s.enter('listBudgetActions');
    void payerAccountId;
    return Promise.resolve([...this.actions.values()].map(withoutSpec));
  }

  async listActionsOfBudget(payerAccountId: string, budgetName: string): Promise<BudgetAction[]> {
    this.s.enter('listActionsOfBudget');
    void payerAccountId;
    return Promise.resolve(
      [...this.actions.values()].filter((a) => a.budgetName === budgetName).map(withoutSpec),
    );
  }

  async describeBudgetAction(
    payerAccountId: string,
    budgetName: string,
    actionId: string,
  ): Promise<BudgetAction | undefined> {
    this.s.enter('describeBudgetAction');
    void payerAccountId;
    const a = this.actions.get(actionId);
    if (!a || a.budgetName !== budgetName) return Promise.resolve(undefined);
    return Promise.resolve(withoutSpec(a));
  }

  async createFreezeAction(payerAccountId: string, spec: FreezeActionSpec): Promise<string> {
    this.s.enter('createFreezeAction');
    if (!this.budgets.has(`${payerAccountId}/${spec.budgetName}`))
      throw awsError('createFreezeAction', 'NotFoundException', `no budget ${spec.budgetName}`);
    const actionId = `action-${this.actions.size + 1}`;
    this.actions.set(actionId, {
      actionId,
      budgetName: spec.budgetName,
      status: 'STANDBY',
      approval: spec.approval,
      thresholdPercent: spec.thresholdPercent,
      policyId: spec.policyId,
      targetIds: [spec.accountId],
      spec,
    });
    return Promise.resolve(actionId);
  }

  async executeBudgetAction(
    payerAccountId: string,
    budgetName: string,
    actionId: string,
    execution: BudgetActionExecution,
  ): Promise<void> {
    this.s.enter('executeBudgetAction');
    void payerAccountId;
    const action = this.actions.get(actionId);
    if (!action || action.budgetName !== budgetName)
      throw awsError('executeBudgetAction', 'NotFoundException', `no action ${actionId}`);
    const next: Record<BudgetActionExecution, BudgetActionStatus> = {
      APPROVE: 'EXECUTION_SUCCESS',
      REVERSE: 'REVERSE_SUCCESS',
      RESET: 'STANDBY',
    };
    action.status = next[execution];
    return Promise.resolve();
  }
}

/** STS in memory: the caller is the management account; the access role fails `assumeRoleFailures` times first. */
export class FakeSts implements StsPort {
  constructor(private readonly s: FakeScript) {}

  async callerAccountId(): Promise<string> {
    this.s.enter('callerAccountId');
    return Promise.resolve(MANAGEMENT_ACCOUNT_ID);
  }

  async assumeAccountRole(accountId: string, roleName: string, sessionName: string): Promise<AwsCredentials> {
    this.s.enter('assumeAccountRole');
    if (this.s.assumeRoleFailures > 0) {
      this.s.assumeRoleFailures -= 1;
      throw awsError(
        'assumeAccountRole',
        'AccessDenied',
        `not authorized to assume ${roleName} in ${accountId}`,
        true,
      );
    }
    const n = this.s.next('session');
    return Promise.resolve({
      accessKeyId: `ASIA${accountId}${pad(n, 4)}`,
      secretAccessKey: `secret-${sessionName}-${n}`,
      sessionToken: `token-${accountId}-${roleName}-${n}`,
    });
  }
}

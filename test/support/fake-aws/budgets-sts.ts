import type {
  AwsCredentials,
  BudgetInfo,
  BudgetsPort,
  BudgetSpec,
  StsPort,
} from '../../../src/domain/ports/aws';
import { MANAGEMENT_ACCOUNT_ID } from './organizations';
import { awsError, pad, type FakeScript } from './script';

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

  async createBudget(payerAccountId: string, spec: BudgetSpec): Promise<void> {
    this.s.enter('createBudget');
    const k = `${payerAccountId}/${spec.name}`;
    if (this.budgets.has(k)) return Promise.resolve();
    this.budgets.set(k, {
      ...spec,
      thresholdsPercent: [...spec.thresholdsPercent],
      emails: [...spec.emails],
    });
    return Promise.resolve();
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

import {
  BatchEnableStandardsCommand,
  DescribeOrganizationConfigurationCommand,
  EnableOrganizationAdminAccountCommand,
  EnableSecurityHubCommand,
  paginateGetEnabledStandards,
  paginateListOrganizationAdminAccounts,
  UpdateOrganizationConfigurationCommand,
  type SecurityHubClient,
} from '@aws-sdk/client-securityhub';
import { call, callTolerating } from '../errors';
import { Pages } from '../pagination';

/** AWS Foundational Security Best Practices, the standard L-4 asks for. */
export const foundationalStandardArn = (partition: string, region: string): string =>
  `arn:${partition}:securityhub:${region}::standards/aws-foundational-security-best-practices/v/1.0.0`;

/** Security Hub organisation administration: administrator, auto-enable, the foundational standard. */
export class SecurityHubOrgAdapter {
  /** securityhub:ListOrganizationAdminAccounts (management account) — the enabled administrator. */
  async getAdmin(management: SecurityHubClient): Promise<string | undefined> {
    const admins = await new Pages(management).collect(
      'securityhub:ListOrganizationAdminAccounts',
      paginateListOrganizationAdminAccounts,
      {},
      (page) => page.AdminAccounts,
    );
    return admins.find((a) => a.Status === 'ENABLED')?.AccountId;
  }

  /** securityhub:EnableOrganizationAdminAccount (management account) */
  async enableAdmin(management: SecurityHubClient, accountId: string): Promise<void> {
    await call('securityhub:EnableOrganizationAdminAccount', () =>
      management.send(new EnableOrganizationAdminAccountCommand({ AdminAccountId: accountId })),
    );
  }

  /**
   * securityhub:DescribeOrganizationConfiguration (administrator account) — a hub not yet enabled
   * there (InvalidAccessException) is "no".
   */
  async getAutoEnable(admin: SecurityHubClient): Promise<boolean> {
    const out = await callTolerating(
      'securityhub:DescribeOrganizationConfiguration',
      ['InvalidAccessException'],
      () => admin.send(new DescribeOrganizationConfigurationCommand({})),
    );
    return out?.AutoEnable === true;
  }

  /**
   * securityhub:EnableSecurityHub, securityhub:UpdateOrganizationConfiguration (administrator
   * account) — a hub already enabled is success.
   */
  async enableAutoEnable(admin: SecurityHubClient): Promise<void> {
    await callTolerating('securityhub:EnableSecurityHub', ['ResourceConflictException'], () =>
      admin.send(new EnableSecurityHubCommand({ EnableDefaultStandards: false })),
    );
    await call('securityhub:UpdateOrganizationConfiguration', () =>
      admin.send(
        new UpdateOrganizationConfigurationCommand({ AutoEnable: true, AutoEnableStandards: 'DEFAULT' }),
      ),
    );
  }

  /** securityhub:GetEnabledStandards (administrator account) */
  async isStandardEnabled(admin: SecurityHubClient, standardArn: string): Promise<boolean> {
    const enabled = await new Pages(admin).collect(
      'securityhub:GetEnabledStandards',
      paginateGetEnabledStandards,
      {},
      (page) => page.StandardsSubscriptions,
    );
    return enabled.some((s) => s.StandardsArn === standardArn && s.StandardsStatus !== 'FAILED');
  }

  /** securityhub:BatchEnableStandards (administrator account) */
  async enableStandard(admin: SecurityHubClient, standardArn: string): Promise<void> {
    await call('securityhub:BatchEnableStandards', () =>
      admin.send(
        new BatchEnableStandardsCommand({ StandardsSubscriptionRequests: [{ StandardsArn: standardArn }] }),
      ),
    );
  }
}

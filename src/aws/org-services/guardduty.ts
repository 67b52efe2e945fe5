import {
  DescribeOrganizationConfigurationCommand,
  EnableOrganizationAdminAccountCommand,
  paginateListOrganizationAdminAccounts,
  UpdateOrganizationConfigurationCommand,
  type GuardDutyClient,
} from '@aws-sdk/client-guardduty';
import { MemberGuardDutyAdapter } from '../account-settings/guardduty';
import { call } from '../errors';
import { Pages } from '../pagination';

/** GuardDuty organisation administration: the administrator account and auto-enable. */
export class GuardDutyOrgAdapter {
  /** guardduty:ListOrganizationAdminAccounts (management account) — the enabled administrator. */
  async getAdmin(management: GuardDutyClient): Promise<string | undefined> {
    const admins = await new Pages(management).collect(
      'guardduty:ListOrganizationAdminAccounts',
      paginateListOrganizationAdminAccounts,
      {},
      (page) => page.AdminAccounts,
    );
    return admins.find((a) => a.AdminStatus === 'ENABLED')?.AdminAccountId;
  }

  /** guardduty:EnableOrganizationAdminAccount (management account) */
  async enableAdmin(management: GuardDutyClient, accountId: string): Promise<void> {
    await call('guardduty:EnableOrganizationAdminAccount', () =>
      management.send(new EnableOrganizationAdminAccountCommand({ AdminAccountId: accountId })),
    );
  }

  /**
   * guardduty:ListDetectors, guardduty:GetDetector, guardduty:DescribeOrganizationConfiguration
   * (administrator account) — true when every member, new and existing, gets a detector.
   */
  async getAutoEnable(admin: GuardDutyClient): Promise<boolean> {
    const [detector] = await new MemberGuardDutyAdapter(admin).listThreatDetectors();
    if (detector === undefined) return false;
    const out = await call('guardduty:DescribeOrganizationConfiguration', () =>
      admin.send(new DescribeOrganizationConfigurationCommand({ DetectorId: detector.id })),
    );
    return out.AutoEnableOrganizationMembers === 'ALL';
  }

  /**
   * guardduty:ListDetectors, guardduty:GetDetector, guardduty:CreateDetector,
   * guardduty:UpdateOrganizationConfiguration (administrator account) — the administrator needs
   * its own detector first (the member-account adapter finds or creates it).
   */
  async enableAutoEnable(admin: GuardDutyClient): Promise<void> {
    const detectors = new MemberGuardDutyAdapter(admin);
    const detectorId =
      (await detectors.listThreatDetectors())[0]?.id ?? (await detectors.createThreatDetector());
    await call('guardduty:UpdateOrganizationConfiguration', () =>
      admin.send(
        new UpdateOrganizationConfigurationCommand({
          DetectorId: detectorId,
          AutoEnableOrganizationMembers: 'ALL',
        }),
      ),
    );
  }
}

import { AvfError } from '../domain/errors';
import type { AwsPorts } from '../domain/ports/aws';
import type { BootstrapAction, FoundationAccountKey } from './actions';
import {
  logBucketName,
  ORGANIZATION_ANALYZER_NAME,
  ORGANIZATION_TRAIL_NAME,
  TRAIL_KEY_ALIAS,
} from '../domain/names';
import { logBucketPolicy, partitionOf, trailKeyPolicy, type OrgContext } from './org-service-policies';
import type { ActualOrgServices } from './org-services';

export type OrgServiceAction = Extract<
  BootstrapAction,
  {
    kind:
      | 'create-trail-key'
      | 'ensure-log-bucket'
      | 'create-trail'
      | 'update-trail'
      | 'register-delegated-admin'
      | 'enable-org-admin'
      | 'enable-auto-enable'
      | 'enable-security-standard'
      | 'create-organization-analyzer';
  }
>;

const ORG_SERVICE_KINDS = new Set<string>([
  'create-trail-key',
  'ensure-log-bucket',
  'create-trail',
  'update-trail',
  'register-delegated-admin',
  'enable-org-admin',
  'enable-auto-enable',
  'enable-security-standard',
  'create-organization-analyzer',
]);

export const isOrgServiceAction = (a: BootstrapAction): a is OrgServiceAction =>
  ORG_SERVICE_KINDS.has(a.kind);

/** Where the organisation-level documents point, once the organisation and the accounts exist. */
export async function orgContext(
  ports: AwsPorts,
  homeRegion: string,
  accountId: (key: FoundationAccountKey) => string | undefined,
): Promise<OrgContext | undefined> {
  const org = await ports.organizations.describeOrganization();
  const logArchiveAccountId = accountId('logArchive');
  const securityAccountId = accountId('security');
  if (!org || logArchiveAccountId === undefined || securityAccountId === undefined) return undefined;
  return {
    partition: partitionOf(homeRegion),
    homeRegion,
    organizationId: org.id,
    managementAccountId: org.managementAccountId,
    logArchiveAccountId,
    securityAccountId,
  };
}

/** Runs the organisation-service actions; the context is read when the first one runs. */
export class OrgServicesRunner {
  private context: OrgContext | undefined;
  private keyArn: string | undefined;

  constructor(
    private readonly ports: AwsPorts,
    private readonly homeRegion: string,
    private readonly actual: ActualOrgServices,
    private readonly accountId: (key: FoundationAccountKey) => string | undefined,
  ) {
    this.context = actual.context;
    this.keyArn = actual.trailKey?.arn;
  }

  async run(action: OrgServiceAction): Promise<void> {
    const svc = this.ports.orgServices;
    const ctx = await this.ctx();
    const security = ctx.securityAccountId;
    switch (action.kind) {
      case 'create-trail-key':
        this.keyArn = (
          await svc.createKey({
            alias: TRAIL_KEY_ALIAS,
            description: 'avf: encrypts the organisation trail',
            policy: trailKeyPolicy(ctx),
          })
        ).arn;
        return;
      case 'ensure-log-bucket': {
        const name = logBucketName(action.purpose, ctx.logArchiveAccountId);
        return svc.ensureLogBucket(ctx.logArchiveAccountId, name, logBucketPolicy(action.purpose, name, ctx));
      }
      case 'create-trail':
      case 'update-trail': {
        const settings = {
          name: ORGANIZATION_TRAIL_NAME,
          bucketName: logBucketName('cloudtrail', ctx.logArchiveAccountId),
          kmsKeyArn: await this.trailKeyArn(),
        };
        return action.kind === 'create-trail'
          ? svc.createOrganizationTrail(settings)
          : svc.updateOrganizationTrail(settings);
      }
      case 'register-delegated-admin':
        return svc.registerDelegatedAdministrator(security, action.servicePrincipal);
      case 'enable-org-admin':
        return action.service === 'guardduty'
          ? svc.enableThreatDetectionAdmin(security, action.region)
          : svc.enableSecurityHubAdmin(security, action.region);
      case 'enable-auto-enable':
        return action.service === 'guardduty'
          ? svc.enableThreatDetectionAutoEnable(security, action.region)
          : svc.enableSecurityHubAutoEnable(security, action.region);
      case 'enable-security-standard':
        return svc.enableFoundationalStandard(security, action.region);
      case 'create-organization-analyzer':
        return svc.createOrganizationAnalyzer(security, action.region, ORGANIZATION_ANALYZER_NAME);
    }
  }

  private async ctx(): Promise<OrgContext> {
    this.context ??= await orgContext(this.ports, this.homeRegion, this.accountId);
    if (this.context === undefined)
      throw new AvfError(
        'BOOTSTRAP_FAILED',
        'the organisation services need the organisation and the log-archive and security accounts, which do not exist',
      );
    return this.context;
  }

  private async trailKeyArn(): Promise<string> {
    this.keyArn ??= (await this.ports.orgServices.findKeyByAlias(TRAIL_KEY_ALIAS))?.arn;
    if (this.keyArn === undefined)
      throw new AvfError(
        'BOOTSTRAP_FAILED',
        `KMS key ${TRAIL_KEY_ALIAS} does not exist and the plan does not create it`,
      );
    return this.keyArn;
  }
}

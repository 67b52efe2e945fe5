import { AwsError } from '../domain/errors';
import type { AwsPorts } from '../domain/ports/aws';
import type { EncryptionKey, LogBucket, OrganizationTrail } from '../domain/ports/org-services';
import type { AdministeredService, BootstrapAction, LogBucketPurpose } from './actions';
import {
  logBucketName,
  ORGANIZATION_ANALYZER_NAME,
  ORGANIZATION_TRAIL_NAME,
  TRAIL_KEY_ALIAS,
} from '../domain/names';
import { logBucketPolicy, type OrgContext } from './org-service-policies';
import { canonicalDocument } from './policy-rules';

/** Trusted access the organisation-level security services need. */
export const ORG_SERVICE_PRINCIPALS = [
  'cloudtrail.amazonaws.com',
  'config.amazonaws.com',
  'guardduty.amazonaws.com',
  'securityhub.amazonaws.com',
  'access-analyzer.amazonaws.com',
];

/**
 * Services registered as delegated administrator through Organizations. GuardDuty and Security
 * Hub register it themselves in EnableOrganizationAdminAccount (and moto refuses securityhub).
 */
export const DELEGATED_ADMIN_PRINCIPALS = ['access-analyzer.amazonaws.com'];

const SERVICES: AdministeredService[] = ['guardduty', 'securityhub'];
const PURPOSES: LogBucketPurpose[] = ['cloudtrail', 'config'];
const SERVICE_NAMES: Record<AdministeredService, string> = {
  guardduty: 'GuardDuty',
  securityhub: 'Security Hub',
};

/** The organisation-level security services as they are now. */
export interface ActualOrgServices {
  /** Known once the organisation and both foundation accounts exist; before, everything is planned. */
  context?: OrgContext;
  trailKey?: EncryptionKey;
  trail?: OrganizationTrail;
  buckets: Partial<Record<LogBucketPurpose, LogBucket>>;
  /** service principal → delegated administrator account ids */
  delegatedAdmins: Record<string, string[]>;
  /** `${service}:${region}` → administrator account */
  admins: Record<string, string | undefined>;
  /** `${service}:${region}` with auto-enable on */
  autoEnabled: string[];
  /** Regions where the foundational standard is enabled in the administrator account. */
  standards: string[];
  /** Regions where the organisation analyzer exists. */
  analyzers: string[];
  /** Action key → why the emulator cannot check it: such actions are reported, not planned. */
  emulatorGaps: Record<string, string>;
}

export const emptyOrgServices = (): ActualOrgServices => ({
  buckets: {},
  delegatedAdmins: {},
  admins: {},
  autoEnabled: [],
  standards: [],
  analyzers: [],
  emulatorGaps: {},
});

/** What an action is about, to match it with an emulator gap found while observing. */
export function orgActionKey(a: BootstrapAction): string {
  const service = 'service' in a ? a.service : '';
  const region = 'region' in a ? a.region : '';
  return `${a.kind}:${service}:${region}`;
}

/** The reason to report when `err` is an operation the emulator does not implement (and only then). */
export function emulatorGap(err: unknown, emulator: boolean): string | undefined {
  return emulator && err instanceof AwsError && err.awsCode === 'NotImplemented'
    ? `${err.operation} is not implemented by the emulator`
    : undefined;
}

/** Reads the services' state. Reads only; an emulator's missing operation becomes a gap. */
export async function observeOrgServices(
  ports: AwsPorts,
  context: OrgContext | undefined,
  regions: string[],
  emulator: boolean,
): Promise<ActualOrgServices> {
  const actual = emptyOrgServices();
  if (context === undefined) return actual;
  actual.context = context;
  const svc = ports.orgServices;
  const probe = async <T>(key: string, fallback: T, read: () => Promise<T>): Promise<T> => {
    try {
      return await read();
    } catch (err) {
      const gap = emulatorGap(err, emulator);
      if (gap === undefined) throw err;
      actual.emulatorGaps[key] = gap;
      return fallback;
    }
  };
  const security = context.securityAccountId;
  actual.trailKey = await svc.findKeyByAlias(TRAIL_KEY_ALIAS);
  actual.trail = await svc.findTrail(ORGANIZATION_TRAIL_NAME);
  for (const purpose of PURPOSES) {
    const bucket = await svc.findLogBucket(
      context.logArchiveAccountId,
      logBucketName(purpose, context.logArchiveAccountId),
    );
    if (bucket) actual.buckets[purpose] = bucket;
  }
  for (const p of DELEGATED_ADMIN_PRINCIPALS)
    actual.delegatedAdmins[p] = await probe(`register-delegated-admin::`, [], () =>
      svc.listDelegatedAdministrators(p),
    );
  for (const region of regions) {
    const readers = {
      guardduty: [
        () => svc.getThreatDetectionAdmin(region),
        () => svc.getThreatDetectionAutoEnable(security, region),
      ],
      securityhub: [
        () => svc.getSecurityHubAdmin(region),
        () => svc.getSecurityHubAutoEnable(security, region),
      ],
    } as const;
    for (const service of SERVICES) {
      const [admin, auto] = readers[service];
      actual.admins[`${service}:${region}`] = await probe(
        `enable-org-admin:${service}:${region}`,
        undefined,
        admin,
      );
      if (await probe(`enable-auto-enable:${service}:${region}`, false, auto))
        actual.autoEnabled.push(`${service}:${region}`);
    }
    const standard = () => svc.getFoundationalStandardEnabled(security, region);
    if (await probe(`enable-security-standard::${region}`, false, standard)) actual.standards.push(region);
  }
  const home = context.homeRegion;
  const analyzers = await probe(`create-organization-analyzer::${home}`, [], () =>
    svc.listOrganizationAnalyzers(security, home),
  );
  if (analyzers.includes(ORGANIZATION_ANALYZER_NAME)) actual.analyzers.push(home);
  return actual;
}

/** The pure part: the actions that bring the services to the desired state, minus emulator gaps. */
export function diffOrgServices(
  regions: string[],
  homeRegion: string,
  actual: ActualOrgServices,
): BootstrapAction[] {
  const ctx = actual.context;
  const actions: BootstrapAction[] = [
    ...(actual.trailKey
      ? []
      : [
          {
            kind: 'create-trail-key' as const,
            description: `create the KMS key ${TRAIL_KEY_ALIAS} for the organisation trail`,
          },
        ]),
    ...PURPOSES.flatMap((purpose) => bucketActions(purpose, actual)),
    ...trailActions(actual),
    ...DELEGATED_ADMIN_PRINCIPALS.filter(
      (p) => ctx === undefined || !(actual.delegatedAdmins[p] ?? []).includes(ctx.securityAccountId),
    ).map((servicePrincipal) => ({
      kind: 'register-delegated-admin' as const,
      servicePrincipal,
      description: `register the security account as delegated administrator for ${servicePrincipal}`,
    })),
    ...regions.flatMap((region) => [
      ...SERVICES.flatMap((service): BootstrapAction[] => [
        ...(ctx !== undefined && actual.admins[`${service}:${region}`] === ctx.securityAccountId
          ? []
          : [
              {
                kind: 'enable-org-admin' as const,
                service,
                region,
                description: `make the security account the ${SERVICE_NAMES[service]} administrator in ${region}`,
              },
            ]),
        ...(actual.autoEnabled.includes(`${service}:${region}`)
          ? []
          : [
              {
                kind: 'enable-auto-enable' as const,
                service,
                region,
                description: `auto-enable ${SERVICE_NAMES[service]} for every member account in ${region}`,
              },
            ]),
      ]),
      ...(actual.standards.includes(region)
        ? []
        : [
            {
              kind: 'enable-security-standard' as const,
              region,
              description: `enable AWS Foundational Security Best Practices in Security Hub in ${region}`,
            },
          ]),
    ]),
    ...(actual.analyzers.includes(homeRegion)
      ? []
      : [
          {
            kind: 'create-organization-analyzer' as const,
            region: homeRegion,
            description: `create the organisation analyzer ${ORGANIZATION_ANALYZER_NAME} in the security account (${homeRegion})`,
          },
        ]),
  ];
  return actions.filter((a) => actual.emulatorGaps[orgActionKey(a)] === undefined);
}

/** The actions left out of the plan because the emulator cannot check them, each with the reason. */
export function orgServiceGaps(regions: string[], homeRegion: string, actual: ActualOrgServices): string[] {
  return diffOrgServices(regions, homeRegion, { ...actual, emulatorGaps: {} }).flatMap((a) => {
    const gap = actual.emulatorGaps[orgActionKey(a)];
    return gap === undefined ? [] : [`${a.description}: ${gap}`];
  });
}

function bucketActions(purpose: LogBucketPurpose, actual: ActualOrgServices): BootstrapAction[] {
  const ctx = actual.context;
  const name = logBucketName(purpose, ctx?.logArchiveAccountId ?? '<log-archive id>');
  const found = actual.buckets[purpose];
  const what = `${purpose === 'cloudtrail' ? 'CloudTrail' : 'AWS Config'} log bucket ${name} in the log-archive account`;
  if (!found || ctx === undefined)
    return [
      {
        kind: 'ensure-log-bucket',
        purpose,
        description: `create the ${what} (Block Public Access, SSE-KMS, write access for the service only)`,
      },
    ];
  const want = logBucketPolicy(purpose, name, ctx);
  const changes = [
    ...(canonicalDocument(found.policy ?? '') === canonicalDocument(want) ? [] : ['policy']),
    ...(found.blockPublicAccess ? [] : ['Block Public Access']),
    ...(found.kmsEncrypted ? [] : ['SSE-KMS']),
  ];
  return changes.length === 0
    ? []
    : [{ kind: 'ensure-log-bucket', purpose, description: `update the ${what} (${changes.join(', ')})` }];
}

function trailActions(actual: ActualOrgServices): BootstrapAction[] {
  const t = actual.trail;
  if (!t)
    return [
      {
        kind: 'create-trail',
        description: `create the organisation trail ${ORGANIZATION_TRAIL_NAME} (all regions, log-file validation, KMS) and start logging`,
      },
    ];
  const ctx = actual.context;
  const key = actual.trailKey;
  const changes = [
    ...(t.isOrganizationTrail ? [] : ['organisation']),
    ...(t.isMultiRegionTrail ? [] : ['all regions']),
    ...(t.logFileValidationEnabled ? [] : ['log-file validation']),
    ...(key !== undefined && (t.kmsKeyId === key.arn || t.kmsKeyId === key.keyId) ? [] : ['KMS key']),
    ...(ctx !== undefined && t.bucketName === logBucketName('cloudtrail', ctx.logArchiveAccountId)
      ? []
      : ['bucket']),
    ...(t.isLogging ? [] : ['logging']),
  ];
  return changes.length === 0
    ? []
    : [
        {
          kind: 'update-trail',
          description: `update the organisation trail ${ORGANIZATION_TRAIL_NAME} (${changes.join(', ')})`,
        },
      ];
}

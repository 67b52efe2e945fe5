import type { PermissionSetDefinition, PolicyType, StackSetDefinition } from '../domain/ports/aws';

/** The two accounts every organisation the factory governs has, keyed as in the config. */
export type FoundationAccountKey = 'logArchive' | 'security';

/** An OU path as written in the config; '' is the organisation root. */
export type OuPath = string;

/** The log-archive buckets bootstrap keeps: the organisation trail's and AWS Config's. */
export type LogBucketPurpose = 'cloudtrail' | 'config';

/** Services whose organisation administrator is the security account, per region. */
export type AdministeredService = 'guardduty' | 'securityhub';

/**
 * One change bootstrap makes, named by config names and paths rather than AWS ids (an OU created
 * earlier in the same run has no id at plan time). `description` is the line the CLI prints.
 */
export type BootstrapAction = { description: string } & (
  | { kind: 'create-organization' }
  | { kind: 'enable-policy-type'; policyType: PolicyType }
  | { kind: 'enable-service-access'; servicePrincipal: string }
  | { kind: 'create-ou'; path: OuPath }
  | {
      kind: 'create-policy' | 'update-policy';
      name: string;
      policyType: PolicyType;
      policyDescription: string;
      content: string;
      file: string;
    }
  | { kind: 'attach-policy'; name: string; policyType: PolicyType; target: OuPath }
  | {
      kind: 'create-account';
      account: FoundationAccountKey;
      accountName: string;
      email: string;
      ouPath: OuPath;
      /** A CreateAccount request already in flight (an earlier run): wait for it, don't send another. */
      requestId?: string;
    }
  | {
      kind: 'move-account';
      account: FoundationAccountKey;
      accountId: string;
      sourceParentId: string;
      ouPath: OuPath;
    }
  | { kind: 'create-permission-set' | 'update-permission-set'; permissionSet: PermissionSetDefinition }
  | { kind: 'create-group'; groupName: string }
  | { kind: 'create-stack-set'; stackSet: StackSetDefinition }
  | { kind: 'update-stack-set'; stackSet: StackSetDefinition; operationId: string }
  | { kind: 'create-trail-key' }
  | { kind: 'ensure-log-bucket'; purpose: LogBucketPurpose }
  | { kind: 'create-trail' | 'update-trail' }
  | { kind: 'register-delegated-admin'; servicePrincipal: string }
  | { kind: 'enable-org-admin' | 'enable-auto-enable'; service: AdministeredService; region: string }
  | { kind: 'enable-security-standard'; region: string }
  | { kind: 'create-organization-analyzer'; region: string }
  /** `unseen`: keys AWS did not list (no bill has carried them yet); it may refuse those. */
  | { kind: 'activate-cost-allocation-tags'; keys: string[]; unseen: string[] }
  | {
      kind: 'create-budget-actions-role' | 'update-budget-actions-role';
      roleName: string;
      freezePolicy: string;
    }
);

export type BootstrapActionKind = BootstrapAction['kind'];

/** How an OU path reads in messages. */
export const targetLabel = (path: OuPath): string => (path === '' ? 'the root' : `OU ${path}`);

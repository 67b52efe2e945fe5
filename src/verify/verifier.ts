import type { LoadedConfig } from '../config/load';
import type { AccountSpec, ControlsSummary } from '../domain/account-request';
import type { AwsPorts } from '../domain/ports/aws';
import type { OrgDirectory } from '../workflow/org-directory';

export type ControlStatus = 'PASS' | 'FAIL' | 'ERROR';

export interface ControlResult {
  id: string;
  title: string;
  region?: string;
  status: ControlStatus;
  /** What was read, so a person can see why. */
  evidence: string;
}

/** What a control is checked against: an account and what it should be. */
export interface VerificationTarget {
  accountId: string;
  spec: AccountSpec;
}

export interface ControlContext {
  target: VerificationTarget;
  aws: AwsPorts;
  config: LoadedConfig;
  directory: OrgDirectory;
}

/** One control of shared/controls.md: read-only evaluation, one result (or one per region). */
export interface Control {
  id: string;
  title: string;
  evaluate(ctx: ControlContext): Promise<Array<Omit<ControlResult, 'id' | 'title'>>>;
}

export interface Verification {
  accountId: string;
  verifiedAt: string;
  results: ControlResult[];
  summary: ControlsSummary;
}

export function summarise(results: ControlResult[]): ControlsSummary {
  return {
    passed: results.filter((r) => r.status === 'PASS').length,
    failed: results.filter((r) => r.status === 'FAIL').length,
    error: results.filter((r) => r.status === 'ERROR').length,
  };
}

/** Runs every control read-only; a control that throws is reported as ERROR with the reason. */
export class Verifier {
  constructor(
    private readonly controls: Control[],
    private readonly deps: Omit<ControlContext, 'target'>,
  ) {}

  async verify(target: VerificationTarget, now: Date): Promise<Verification> {
    const ctx: ControlContext = { ...this.deps, target };
    const perControl = await Promise.all(
      this.controls.map(async (control): Promise<ControlResult[]> => {
        try {
          return (await control.evaluate(ctx)).map((r) => ({ id: control.id, title: control.title, ...r }));
        } catch (e) {
          return [{ id: control.id, title: control.title, status: 'ERROR', evidence: (e as Error).message }];
        }
      }),
    );
    const results = perControl.flat();
    return {
      accountId: target.accountId,
      verifiedAt: now.toISOString(),
      results,
      summary: summarise(results),
    };
  }
}

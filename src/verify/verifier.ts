import { emulatorDeclared } from '../config/emulator';
import type { LoadedConfig } from '../config/load';
import { AvfError } from '../domain/errors';
import type { AccountSpec, Phase } from '../domain/account-request';
import type { ControlResult, ControlsSummary, Verification } from '../domain/compliance';
import type { AwsPorts } from '../domain/ports/aws';
import type { OrgDirectory } from '../domain/org-directory';

export type { ControlResult, ControlStatus, Verification } from '../domain/compliance';

/** What a control is checked against: an account and what it should be. */
export interface VerificationTarget {
  accountId: string;
  spec: AccountSpec;
  /** True while the account is being vended (the quarantine SCP must be on), false afterwards. */
  vending?: boolean;
  /**
   * A vend's StackSet operations, by StackSet: the operation that deployed this account's
   * instances. Verification reads that operation's instances, which every account of its batch
   * shares, and reads the account's own instances only where those do not show it healthy.
   */
  stackSetOperations?: Readonly<Record<string, string>>;
  /**
   * Region → the GuardDuty detector hardening left there (a vend): L-3 reads it with one GetDetector,
   * and lists the region's detectors only when it is not found enabled.
   */
  threatDetectors?: Readonly<Record<string, string>>;
  /**
   * What the reads in the member account are done for, naming their session there
   * (`memberSessionName`): the request id in a vend or redeploy, `drift`, `rollout`, `cli`.
   */
  activity?: string;
}

export interface ControlContext {
  target: VerificationTarget;
  aws: AwsPorts;
  config: LoadedConfig;
  directory: OrgDirectory;
}

/** One control (README, "Controls"): read-only evaluation, one result (or one per region). */
export interface Control {
  id: string;
  title: string;
  /** The acceptance scenarios (seeds, numbered) that ask for it, e.g. ['002']. */
  seeds?: string[];
  /** How it is enforced: SCP, StackSet, org, API, IdC, Budgets. */
  enforcedBy?: string;
  /**
   * Why the local emulator (moto) cannot evaluate this control, if it cannot. Only such controls
   * may report ERROR on an emulator without blocking READY; on real AWS an ERROR always blocks.
   */
  emulatorGap?: string;
  /**
   * The vend phase whose step sets what this control reads, where no later phase changes it: a
   * vend checks the control as soon as that phase is done, while the StackSets deploy, and its
   * verification reads it again only if it did not pass then. Unset: read only by the verification.
   */
  settledBy?: Phase;
  evaluate(ctx: ControlContext): Promise<Array<Omit<ControlResult, 'id' | 'title'>>>;
}

/** `settledBy` of a control of what bootstrap sets for the whole organisation, before any vend. */
export const ORGANISATION_LEVEL: Phase = 'create-account';

/** A control's PASS or FAIL, with the evidence read. */
export const pass = (evidence: string) => ({ status: 'PASS' as const, evidence });
export const failed = (evidence: string) => ({ status: 'FAIL' as const, evidence });
/** A control that could not be read: ERROR with the reason, marked retryable when the error is transient. */
export const errored = (e: unknown) => ({
  status: 'ERROR' as const,
  evidence: e instanceof Error ? e.message : String(e),
  ...(e instanceof AvfError && e.retryable ? { retryable: true } : {}),
});

/**
 * Results that block READY: every FAIL, and every ERROR except, when AVF_EMULATOR=1 declares the
 * emulator, those of controls that declare an emulator gap.
 */
export function blocking(results: ControlResult[], controls: Control[], emulator: boolean): ControlResult[] {
  const gaps = new Set(controls.filter((c) => c.emulatorGap).map((c) => c.id));
  return results.filter(
    (r) => r.status === 'FAIL' || (r.status === 'ERROR' && !(emulator && gaps.has(r.id))),
  );
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
    readonly controls: Control[],
    private readonly deps: Omit<ControlContext, 'target'>,
    /** AVF_EMULATOR=1: ERROR is tolerated (recorded as not evaluable) for controls with an emulatorGap. */
    readonly emulator: boolean = emulatorDeclared(),
  ) {}

  /** The results that keep an account from READY (see `blocking`). */
  blocking(results: ControlResult[]): ControlResult[] {
    return blocking(results, this.controls, this.emulator);
  }

  /**
   * Reads the controls settled by a phase in `done` (see `Control.settledBy`) and returns the
   * results of those that passed everywhere, each marked with when it was read. The others are
   * left to the verification.
   */
  async verifyAhead(
    target: VerificationTarget,
    now: Date,
    done: ReadonlySet<Phase>,
  ): Promise<ControlResult[]> {
    const settled = this.controls.filter((c) => c.settledBy !== undefined && done.has(c.settledBy));
    const perControl = await this.evaluate(settled, target);
    const checkedAt = now.toISOString();
    return perControl
      .filter((results) => results.every((r) => r.status === 'PASS'))
      .flat()
      .map((r) => ({ ...r, checkedAt }));
  }

  /**
   * Every control, read-only. `passedAhead`: results `verifyAhead` returned for this account; their
   * controls are not read again.
   */
  async verify(
    target: VerificationTarget,
    now: Date,
    passedAhead: ControlResult[] = [],
  ): Promise<Verification> {
    const ahead = new Set(passedAhead.map((r) => r.id));
    const toRead = this.controls.filter((c) => !ahead.has(c.id));
    const read = await this.evaluate(toRead, target);
    const fresh = new Map(toRead.map((c, i) => [c.id, read[i] ?? []]));
    const results = this.controls.flatMap((c) => fresh.get(c.id) ?? passedAhead.filter((r) => r.id === c.id));
    const blocking = this.blocking(results);
    const notEvaluable = results
      .filter((r) => r.status === 'ERROR' && !blocking.includes(r))
      .map((r) => ({
        control: `${r.id}${r.region ? `@${r.region}` : ''}`,
        reason: `AVF_EMULATOR=1: ${this.controls.find((c) => c.id === r.id)?.emulatorGap ?? ''}`,
      }));
    return {
      accountId: target.accountId,
      verifiedAt: now.toISOString(),
      results,
      summary: summarise(results),
      blocking: blocking.map((r) => `${r.id}${r.region ? `@${r.region}` : ''}`),
      ...(notEvaluable.length > 0 ? { notEvaluable } : {}),
    };
  }

  /** Each control's results; a control that throws is one ERROR result with the reason. */
  private evaluate(controls: Control[], target: VerificationTarget): Promise<ControlResult[][]> {
    const ctx: ControlContext = { ...this.deps, target };
    return Promise.all(
      controls.map(async (control): Promise<ControlResult[]> => {
        try {
          return (await control.evaluate(ctx)).map((r) => ({ id: control.id, title: control.title, ...r }));
        } catch (e) {
          return [{ id: control.id, title: control.title, ...errored(e) }];
        }
      }),
    );
  }
}

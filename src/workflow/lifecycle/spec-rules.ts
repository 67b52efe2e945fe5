import type { AccountSpec } from '../../domain/account-request';
import { ValidationError, type Problem } from '../../domain/errors';
import type { FactoryConfig } from '../../config/schema';
import type { z } from 'zod';
import { zodProblems } from '../../domain/zod-problems';
import { requestMeaningProblems } from '../intake/validate-request';
import { capsNeedingApproval } from '../intake/limit-rules';

/** The top-level field a problem path names: `access[0].group` → `access`, `tags.env` → `tags`. */
const fieldOf = (path: string) => path.split(/[.[]/)[0] ?? path;

/**
 * The intake's meaning rules (validate-request.ts) applied to an account's spec after a change,
 * keeping only the problems in the fields that change: an account vended under an older config
 * is not refused for what the caller did not touch. Paths are relative to the body.
 */
export function specProblems(spec: AccountSpec, config: FactoryConfig, fields: readonly string[]): Problem[] {
  return [...requestMeaningProblems(spec, config), ...budgetApprovalProblems(spec, config)].filter((p) =>
    fields.includes(fieldOf(p.path)),
  );
}

/**
 * A budget change above a cap's approval threshold: a new request there waits for approval, a
 * change to an account is refused (naming the cap) until changes can wait for approval too.
 */
function budgetApprovalProblems(spec: AccountSpec, config: FactoryConfig): Problem[] {
  return capsNeedingApproval(config, spec).map((cap) => ({
    path: 'budget.monthlyLimitUsd',
    message: `${spec.budget.monthlyLimitUsd.toLocaleString('en-US')} USD a month needs a platform approval (${cap}); request a new account or a lower limit`,
  }));
}

/** Throws one ValidationError (400) with every problem. */
export function assertNoProblems(problems: Problem[]): void {
  if (problems.length > 0) throw new ValidationError(problems);
}

/** The first validation pass: the input against its zod schema, every problem at once (400). */
export function parseInput<T>(schema: z.ZodType<T>, input: unknown): T {
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw new ValidationError(zodProblems(parsed.error));
  return parsed.data;
}

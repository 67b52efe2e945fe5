import type { ControlContext } from '../verifier';
import { effectiveScps } from './organization';
import { oncePerVerification } from './once-per-verification';

/** One statement of an SCP in effect on the account, with the policy it came from. */
export interface EffectiveStatement {
  policy: string;
  effect: string;
  actions: string[];
  notActions: string[];
  resources: string[];
  /** operator → condition key → values */
  condition: Record<string, Record<string, string[]>>;
}

const list = (v: unknown): string[] =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : typeof v === 'string' ? [v] : [];

const record = (v: unknown): Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};

function statementsOf(policy: string, content: string): EffectiveStatement[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(content);
  } catch {
    return [];
  }
  const raw = record(parsed)['Statement'];
  return (Array.isArray(raw) ? raw : [raw]).map((s) => {
    const st = record(s);
    return {
      policy,
      effect: typeof st['Effect'] === 'string' ? st['Effect'] : '',
      actions: list(st['Action']),
      notActions: list(st['NotAction']),
      resources: list(st['Resource']),
      condition: Object.fromEntries(
        Object.entries(record(st['Condition'])).map(([op, keys]) => [
          op,
          Object.fromEntries(Object.entries(record(keys)).map(([k, v]) => [k, list(v)])),
        ]),
      ),
    };
  });
}

/** The statements of every SCP in effect on the account (attached to it, its OUs or the root). */
export function effectiveStatements(
  ctx: ControlContext,
): Promise<{ names: string[]; statements: EffectiveStatement[] }> {
  return oncePerVerification(ctx, 'effective-statements', async () => {
    const scps = await effectiveScps(ctx);
    const docs = await Promise.all(scps.map((p) => ctx.aws.organizations.describePolicy(p.id)));
    return {
      names: scps.map((p) => p.name).sort(),
      statements: docs.flatMap((d) => statementsOf(d.name, d.content)),
    };
  });
}

/** IAM-style wildcard match (`*`, `?`), case-insensitive as IAM compares actions. */
export function wildcardMatch(pattern: string, value: string): boolean {
  const re = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${re}$`, 'i').test(value);
}

/** What a control needs denied: an action, optionally only on a resource or under a condition key. */
export interface DeniedAction {
  action: string;
  /** The statement must name this condition key (e.g. ec2:InstanceType). */
  conditionKey?: string;
  /** The statement's Resource must cover this ARN pattern. */
  resource?: string;
}

/** The exemption the guardrails grant the factory's own roles: not a narrowing of the deny. */
const isFactoryExemption = (op: string, key: string): boolean =>
  key.toLowerCase() === 'aws:principalarn' && (op === 'ArnNotLike' || op === 'ArnNotEquals');

/** The policies whose Deny statements cover the action as asked (no other condition narrows them). */
export function denyingPolicies(statements: EffectiveStatement[], want: DeniedAction): string[] {
  return statements
    .filter((s) => s.effect === 'Deny' && s.actions.some((a) => wildcardMatch(a, want.action)))
    .filter((s) => {
      const keys = Object.entries(s.condition).flatMap(([op, ks]) => Object.keys(ks).map((k) => ({ op, k })));
      const narrowing = keys.filter(({ op, k }) => !isFactoryExemption(op, k) && k !== want.conditionKey);
      const hasKey = want.conditionKey === undefined || keys.some(({ k }) => k === want.conditionKey);
      return narrowing.length === 0 && hasKey;
    })
    .filter(
      (s) =>
        want.resource === undefined ||
        s.resources.some((r) => wildcardMatch(r, want.resource ?? '') || r === want.resource),
    )
    .map((s) => s.policy);
}

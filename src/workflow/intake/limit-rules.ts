import { FACTORY_TAG_KEYS, MAX_ACCOUNT_TAGS } from '../../domain/account-request';
import type { BudgetCap } from '../../config/budget-schema';
import type { FactoryConfig } from '../../config/schema';
import { listOr, type RequestRule, type RequestShape } from './request-rule';

/**
 * The limits AWS would enforce later (Organizations' tags) and the config's budget policy, as
 * meaning rules: a request that breaks one is refused before anything is created.
 */

const factoryKey = (key: string): string | undefined =>
  FACTORY_TAG_KEYS.find((k) => k.toLowerCase() === key.toLowerCase());

/** At most 50 tags with the factory's own; no tag named like one of the factory's. */
export function tagRules(body: RequestShape): RequestRule[] {
  const keys = Object.keys(body.tags);
  const room = MAX_ACCOUNT_TAGS - FACTORY_TAG_KEYS.length;
  return [
    {
      path: 'tags',
      breaks: () => keys.length > room,
      message: () =>
        `${keys.length} tags; Organizations allows ${MAX_ACCOUNT_TAGS} per account and the factory sets ` +
        `${FACTORY_TAG_KEYS.length} (${FACTORY_TAG_KEYS.join(', ')}), so at most ${room}`,
    },
    ...keys.flatMap((key): RequestRule[] => {
      const shadowed = factoryKey(key);
      return shadowed === undefined
        ? []
        : [
            {
              path: `tags.${key}`,
              breaks: () => true,
              message: () =>
                `${key} is set by the factory (${shadowed}, from ${shadowed === 'avf:request-id' ? 'the request id' : 'the request fields'}); choose another key`,
            },
          ];
    }),
  ];
}

/** The OU path and the OUs above it: a cap on an OU covers the OUs below it. */
function ouAndAncestors(path: string): string[] {
  const parts = path.split('/');
  return parts.map((_, i) => parts.slice(0, i + 1).join('/'));
}

interface ApplicableCap {
  cap: BudgetCap;
  /** `budgets.caps[i]`, the config field that sets it. */
  field: string;
  /** "OU Sandbox" or "team ledger". */
  scope: string;
}

/** The caps that apply to an account in `ou` owned by `team`. */
export function budgetCapsFor(config: FactoryConfig, ou: string, team: string): ApplicableCap[] {
  const ous = ouAndAncestors(ou);
  return config.budgets.caps.flatMap((cap, i) => {
    const field = `budgets.caps[${i}]`;
    if (cap.organizationalUnit !== undefined && ous.includes(cap.organizationalUnit))
      return [{ cap, field, scope: `OU ${cap.organizationalUnit}` }];
    if (cap.team !== undefined && cap.team === team) return [{ cap, field, scope: `team ${cap.team}` }];
    return [];
  });
}

const describeCap = (c: ApplicableCap, amount: number): string =>
  `${c.field}: ${c.scope} caps the monthly limit at ${amount.toLocaleString('en-US')} USD`;

/** The caps whose approval threshold the budget exceeds (within their maximum): it needs approval. */
export function capsNeedingApproval(config: FactoryConfig, body: RequestShape): string[] {
  const limit = body.budget?.monthlyLimitUsd;
  if (limit === undefined) return [];
  return budgetCapsFor(config, body.organizationalUnit, body.owner.team)
    .filter(
      (c) =>
        c.cap.approvalAboveUsd !== undefined &&
        limit > c.cap.approvalAboveUsd &&
        limit <= c.cap.maxMonthlyLimitUsd,
    )
    .map((c) => describeCap(c, c.cap.approvalAboveUsd ?? 0) + ' without approval');
}

/** The monthly limit within every applicable cap; thresholds within the configured range, one ≤ 100 %. */
export function budgetRules(body: RequestShape): RequestRule[] {
  const budget = body.budget;
  if (budget === undefined) return [];
  const limit = budget.monthlyLimitUsd;
  // Thresholds left out are the config's defaults, which the config's own rules already hold.
  const thresholds = budget.thresholdsPercent ?? [];
  const caps = (config: FactoryConfig) =>
    budgetCapsFor(config, body.organizationalUnit, body.owner.team).filter(
      (c) => limit > c.cap.maxMonthlyLimitUsd,
    );
  const range = (config: FactoryConfig) => config.budgets.thresholdsPercent;
  return [
    {
      path: 'budget.monthlyLimitUsd',
      breaks: ({ config }) => caps(config).length > 0,
      message: ({ config }) =>
        `${limit.toLocaleString('en-US')} USD a month is above the cap: ${caps(config)
          .map((c) => describeCap(c, c.cap.maxMonthlyLimitUsd))
          .join('; ')}`,
    },
    {
      path: 'budget.thresholdsPercent',
      breaks: ({ config }) => thresholds.some((t) => t < range(config).min || t > range(config).max),
      message: ({ config }) =>
        `every threshold must lie within ${range(config).min}-${range(config).max} % (budgets.thresholdsPercent); received [${thresholds.join(', ')}]`,
    },
    {
      path: 'budget.thresholdsPercent',
      breaks: () => thresholds.length > 0 && !thresholds.some((t) => t <= 100),
      message: () =>
        `at least one threshold must be at or below 100 % so an alert comes before the limit is spent; received [${thresholds.join(', ')}]`,
    },
  ];
}

/** Each requested group is owned by the request's team (groups[].teams in the config). */
export function ownershipRules(body: RequestShape): RequestRule[] {
  return (body.access ?? []).map((grant, i) => {
    const owners = (config: FactoryConfig) => config.groups.find((g) => g.name === grant.group)?.teams;
    return {
      path: `access[${i}].group`,
      breaks: ({ config }) => {
        const teams = owners(config);
        return teams !== undefined && !teams.includes(body.owner.team);
      },
      message: ({ config }) =>
        `group ${grant.group} belongs to ${listOr(owners(config) ?? [])}; team ${body.owner.team} may grant only its own groups (${listOr(
          config.groups.filter((g) => g.teams.includes(body.owner.team)).map((g) => g.name),
        )})`,
    };
  });
}

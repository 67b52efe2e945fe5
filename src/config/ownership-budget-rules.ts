import type { Problem } from '../domain/errors';
import type { FactoryConfig } from './schema';

/**
 * Config rules for group ownership, the security team's triage permission sets and the budget
 * policy: every name resolves, and the defaults obey the caps they set.
 */
type Rule = (c: FactoryConfig) => Problem[];

const rules: Rule[] = [
  (c) => {
    const teams = new Set(c.teams.map((t) => t.name));
    return c.groups.flatMap((g, i) =>
      g.teams
        .map((t, j) => ({ t, j }))
        .filter(({ t }) => !teams.has(t))
        .map(({ t, j }) => ({ path: `groups[${i}].teams[${j}]`, message: `team ${t} is not defined` })),
    );
  },
  (c) =>
    c.teams.flatMap((t, i) =>
      t.defaultAccess.flatMap((a, j) => {
        const group = c.groups.find((g) => g.name === a.group);
        return group && !group.teams.includes(t.name)
          ? [
              {
                path: `teams[${i}].defaultAccess[${j}].group`,
                message: `group ${a.group} is owned by ${group.teams.join(', ')}, not by team ${t.name}`,
              },
            ]
          : [];
      }),
    ),
  (c) => {
    const sets = new Set(c.permissionSets.map((p) => p.name));
    return c.organization.securityTriagePermissionSets.flatMap((p, i) => {
      const path = `organization.securityTriagePermissionSets[${i}]`;
      const receivers = c.groups.filter((g) => g.permissionSets.includes(p)).map((g) => g.name);
      return [
        ...(sets.has(p) ? [] : [{ path, message: `permission set ${p} is not defined` }]),
        ...(receivers.length > 0
          ? [
              {
                path,
                message: `${p} is exempt from the findings guardrail, so no group may receive it in vended accounts (received by: ${receivers.join(', ')})`,
              },
            ]
          : []),
      ];
    });
  },
  (c) => {
    const ous = new Set(c.organizationalUnits.map((o) => o.path));
    const teams = new Set(c.teams.map((t) => t.name));
    return c.budgets.caps.flatMap((cap, i) => [
      ...(cap.organizationalUnit !== undefined && !ous.has(cap.organizationalUnit)
        ? [
            {
              path: `budgets.caps[${i}].organizationalUnit`,
              message: `OU ${cap.organizationalUnit} is not defined`,
            },
          ]
        : []),
      ...(cap.team !== undefined && !teams.has(cap.team)
        ? [{ path: `budgets.caps[${i}].team`, message: `team ${cap.team} is not defined` }]
        : []),
      ...(c.budgets.defaultMonthlyLimitUsd > (cap.approvalAboveUsd ?? cap.maxMonthlyLimitUsd)
        ? [
            {
              path: 'budgets.defaultMonthlyLimitUsd',
              message: `the default of ${c.budgets.defaultMonthlyLimitUsd} USD is above budgets.caps[${i}] (${cap.approvalAboveUsd ?? cap.maxMonthlyLimitUsd} USD)`,
            },
          ]
        : []),
    ]);
  },
  (c) => {
    const { min, max } = c.budgets.thresholdsPercent;
    const bad = c.budgets.defaultThresholdsPercent.filter((t) => t < min || t > max);
    return [
      ...(min > max
        ? [{ path: 'budgets.thresholdsPercent', message: `min ${min} is above max ${max}` }]
        : []),
      ...(bad.length > 0
        ? [
            {
              path: 'budgets.defaultThresholdsPercent',
              message: `${bad.join(', ')} outside budgets.thresholdsPercent (${min}-${max})`,
            },
          ]
        : []),
    ];
  },
];

export function ownershipAndBudgetProblems(config: FactoryConfig): Problem[] {
  return rules.flatMap((rule) => rule(config));
}

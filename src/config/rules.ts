import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { describeRegion } from '../aws/regions';
import type { Problem } from '../domain/errors';
import { ownershipAndBudgetProblems } from './ownership-budget-rules';
import { financeProblems } from './finance-schema';
import type { FactoryConfig } from './schema';

/**
 * The meaning checks that run after the shape is valid: every reference must resolve, every file
 * must exist. A table of rules, each returning its problems, so every one is reported at once.
 */
type Rule = (config: FactoryConfig, baseDir: string) => Problem[];

const duplicates = (values: string[]): string[] => values.filter((v, i) => values.indexOf(v) !== i);

const rules: Rule[] = [
  (c) =>
    financeProblems(c.finance, {
      ous: c.organizationalUnits.map((o) => o.path),
      teams: c.teams.map((t) => t.name),
      policies: Object.keys(c.policies),
    }),
  (c) =>
    duplicates(c.organizationalUnits.map((o) => o.path)).map((p) => ({
      path: 'organizationalUnits',
      message: `OU ${p} is listed twice`,
    })),
  (c) => {
    const paths = new Set(c.organizationalUnits.map((o) => o.path));
    return c.organizationalUnits.flatMap((o, i) => {
      const parent = o.path.split('/').slice(0, -1).join('/');
      return parent && !paths.has(parent)
        ? [
            {
              path: `organizationalUnits[${i}].path`,
              message: `parent OU ${parent} of ${o.path} is not listed`,
            },
          ]
        : [];
    });
  },
  (c) =>
    c.organizationalUnits.flatMap((o, i) =>
      o.policies
        .map((p, j) => ({ p, j }))
        .filter(({ p }) => !(p in c.policies))
        .map(({ p, j }) => ({
          path: `organizationalUnits[${i}].policies[${j}]`,
          message: `policy ${p} is not defined under policies (defined: ${Object.keys(c.policies).join(', ') || 'none'})`,
        })),
    ),
  (c) =>
    c.rootPolicies
      .map((p, j) => ({ p, j }))
      .filter(({ p }) => !(p in c.policies))
      .map(({ p, j }) => ({
        path: `rootPolicies[${j}]`,
        message: `policy ${p} is not defined under policies`,
      })),
  (c) => {
    const q = c.organization.quarantinePolicy;
    return q && !(q in c.policies)
      ? [{ path: 'organization.quarantinePolicy', message: `policy ${q} is not defined under policies` }]
      : [];
  },
  (c, dir) =>
    Object.entries(c.policies)
      .filter(([, p]) => !existsSync(resolve(dir, p.file)))
      .map(([name, p]) => ({ path: `policies.${name}.file`, message: `file ${p.file} does not exist` })),
  (c, dir) =>
    c.stackSets.flatMap((s, i) => [
      ...(existsSync(resolve(dir, s.template))
        ? []
        : [{ path: `stackSets[${i}].template`, message: `file ${s.template} does not exist` }]),
      ...(s.regions ?? [])
        .filter((r) => !c.governedRegions.includes(r))
        .map((r) => ({ path: `stackSets[${i}].regions`, message: `${r} is not a governed region` })),
    ]),
  (c) =>
    duplicates(c.stackSets.map((s) => s.name)).map((n) => ({
      path: 'stackSets',
      message: `StackSet ${n} is listed twice`,
    })),
  (c, dir) =>
    c.permissionSets.flatMap((p, i) =>
      p.inlinePolicyFile && !existsSync(resolve(dir, p.inlinePolicyFile))
        ? [
            {
              path: `permissionSets[${i}].inlinePolicyFile`,
              message: `file ${p.inlinePolicyFile} does not exist`,
            },
          ]
        : [],
    ),
  (c) =>
    duplicates(c.permissionSets.map((p) => p.name)).map((n) => ({
      path: 'permissionSets',
      message: `permission set ${n} is listed twice`,
    })),
  (c) => {
    const sets = new Set(c.permissionSets.map((p) => p.name));
    return c.groups.flatMap((g, i) =>
      g.permissionSets
        .map((p, j) => ({ p, j }))
        .filter(({ p }) => !sets.has(p))
        .map(({ p, j }) => ({
          path: `groups[${i}].permissionSets[${j}]`,
          message: `permission set ${p} is not defined`,
        })),
    );
  },
  (c) => {
    const ous = new Set(c.organizationalUnits.map((o) => o.path));
    return c.teams.flatMap((t, i) =>
      t.organizationalUnits
        .map((p, j) => ({ p, j }))
        .filter(({ p }) => !ous.has(p))
        .map(({ p, j }) => ({
          path: `teams[${i}].organizationalUnits[${j}]`,
          message: `OU ${p} is not defined`,
        })),
    );
  },
  (c) =>
    c.teams.flatMap((t, i) =>
      t.defaultAccess.flatMap((a, j) => {
        const group = c.groups.find((g) => g.name === a.group);
        if (!group)
          return [
            { path: `teams[${i}].defaultAccess[${j}].group`, message: `group ${a.group} is not defined` },
          ];
        return group.permissionSets.includes(a.permissionSet)
          ? []
          : [
              {
                path: `teams[${i}].defaultAccess[${j}].permissionSet`,
                message: `group ${a.group} may not receive ${a.permissionSet}`,
              },
            ];
      }),
    ),
  (c) => {
    const ous = new Set(c.organizationalUnits.map((o) => o.path));
    return (['logArchive', 'security'] as const)
      .filter((k) => !ous.has(c.organization[k].organizationalUnit))
      .map((k) => ({
        path: `organization.${k}.organizationalUnit`,
        message: `OU ${c.organization[k].organizationalUnit} is not defined`,
      }));
  },
  (c) =>
    (['namePattern', 'emailPattern'] as const).flatMap((k) => {
      try {
        new RegExp(c.accounts[k]);
        return [];
      } catch (e) {
        return [
          { path: `accounts.${k}`, message: `not a valid regular expression: ${(e as Error).message}` },
        ];
      }
    }),
  (c) => {
    const home = describeRegion(c.homeRegion)?.partition;
    return c.governedRegions.flatMap((r, i) =>
      describeRegion(r)?.partition === home
        ? []
        : [{ path: `governedRegions[${i}]`, message: `${r} is not in the ${home} partition of homeRegion` }],
    );
  },
  (c) =>
    c.governedRegions.includes(c.homeRegion)
      ? []
      : [{ path: 'homeRegion', message: `${c.homeRegion} must be one of governedRegions` }],
];

export function configRuleProblems(config: FactoryConfig, baseDir: string): Problem[] {
  return [...rules.flatMap((rule) => rule(config, baseDir)), ...ownershipAndBudgetProblems(config)];
}

import type { FactoryConfig } from '../../config/schema';
import type { Problem } from '../../domain/errors';
import type { AccessCatalog } from './access-catalog';

/** A grant as a request or a PATCH names it. */
interface Grant {
  group: string;
  permissionSet: string;
}

/** A grant to look up, and the field path its problems point at (`access[1]`, or `access`). */
interface Located {
  grant: Grant;
  path: string;
  /** Where the grant came from, when not from the body: `team payments's default access`. */
  origin?: string;
}

/**
 * Every group and permission set the grants name exists in Identity Center; a problem per
 * missing name, at the grant's path.
 *
 * @throws IdentityCenterUnavailableError (503) when Identity Center cannot answer
 */
async function missingNames(catalog: AccessCatalog, located: readonly Located[]): Promise<Problem[]> {
  const [groups, permissionSets] = await Promise.all([
    catalog.missingGroups(located.map((l) => l.grant.group)),
    catalog.missingPermissionSets(located.map((l) => l.grant.permissionSet)),
  ]);
  return located.flatMap(({ grant, path, origin }): Problem[] => {
    const from = origin ? ` (${origin})` : '';
    const at = (field: keyof Grant) => (origin ? path : `${path}.${field}`);
    return [
      ...(groups.includes(grant.group)
        ? [
            {
              path: at('group'),
              message: `group ${grant.group}${from} does not exist in IAM Identity Center; create it in the identity provider (or its sync) first`,
            },
          ]
        : []),
      ...(permissionSets.includes(grant.permissionSet)
        ? [
            {
              path: at('permissionSet'),
              message: `permission set ${grant.permissionSet}${from} does not exist in IAM Identity Center; run avf bootstrap to create the configured permission sets`,
            },
          ]
        : []),
    ];
  });
}

/**
 * The Identity Center pre-flight for a request or a PATCH, beside the problems its config rules
 * already found: the groups and permission sets of the grants it names (or, when it names none,
 * of its team's default access) exist in Identity Center, so a request is refused (400) before an
 * account is created rather than failing at its identity-center step. A grant the config rules
 * refused is not looked up, so only configured names reach Identity Center. No catalog: no check.
 *
 * @throws IdentityCenterUnavailableError (503) when Identity Center cannot answer
 */
export async function identityCenterProblems(
  catalog: AccessCatalog | undefined,
  request: { access?: readonly Grant[]; owner: { team: string } },
  config: FactoryConfig,
  known: readonly Problem[],
): Promise<Problem[]> {
  if (!catalog) return [];
  if (request.access === undefined) {
    const team = config.teams.find((t) => t.name === request.owner.team);
    const origin = `team ${request.owner.team}'s default access in the config`;
    return missingNames(
      catalog,
      (team?.defaultAccess ?? []).map((grant) => ({ grant, path: 'access', origin })),
    );
  }
  const located = request.access.map((grant, i) => ({ grant, path: `access[${i}]` }));
  return missingNames(
    catalog,
    located.filter((l) => !known.some((p) => p.path.startsWith(l.path))),
  );
}

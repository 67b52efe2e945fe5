import { normaliseEmail } from '../../domain/account-request';
import { ForbiddenError, type Problem } from '../../domain/errors';
import type { FactoryConfig } from '../../config/schema';
import { budgetRules, ownershipRules, tagRules } from './limit-rules';
import { listOr, type RequestRule, type RequestShape, type RuleContext } from './request-rule';

export type { RequestShape } from './request-rule';
import { requireRole, type Principal } from '../../domain/principal';
import { addressRefusal } from '../../domain/private-address';

const matches = (pattern: string, value: string): boolean => new RegExp(pattern).test(value);

function isAscendingAndUnique(values: readonly number[]): boolean {
  return values.every((v, i) => i === 0 || v > (values[i - 1] ?? -Infinity));
}

const staticRules: RequestRule[] = [
  {
    path: 'accountName',
    breaks: ({ body, config }) => !matches(config.accounts.namePattern, body.accountName),
    message: ({ body, config }) =>
      `"${body.accountName}" does not match the naming rule ${config.accounts.namePattern}`,
  },
  {
    path: 'email',
    breaks: ({ body, config }) => !matches(config.accounts.emailPattern, normaliseEmail(body.email)),
    message: ({ body, config }) =>
      `"${body.email}" does not match the email rule ${config.accounts.emailPattern}`,
  },
  {
    path: 'organizationalUnit',
    breaks: ({ ou }) => ou === undefined,
    message: ({ body, config }) =>
      `OU ${body.organizationalUnit} is not configured (configured: ${listOr(config.organizationalUnits.map((o) => o.path))})`,
  },
  {
    path: 'owner.team',
    breaks: ({ team }) => team === undefined,
    message: ({ body, config }) =>
      `team ${body.owner.team} is not configured (configured: ${listOr(config.teams.map((t) => t.name))})`,
  },
  {
    path: 'organizationalUnit',
    breaks: ({ body, ou, team }) =>
      ou !== undefined && team !== undefined && !team.organizationalUnits.includes(body.organizationalUnit),
    message: ({ body, team }) =>
      `team ${body.owner.team} may not request accounts in ${body.organizationalUnit} (allowed: ${listOr(team?.organizationalUnits ?? [])})`,
  },
  {
    path: 'budget.thresholdsPercent',
    breaks: ({ body }) =>
      body.budget?.thresholdsPercent !== undefined && !isAscendingAndUnique(body.budget.thresholdsPercent),
    message: ({ body }) =>
      `thresholds must be ascending and unique, e.g. [50, 80, 100]; received [${body.budget?.thresholdsPercent?.join(', ') ?? ''}]`,
  },
];

/** One rule per requested grant: the group is configured and may receive the permission set. */
function accessRules(body: RequestShape): RequestRule[] {
  return (body.access ?? []).flatMap((grant, i): RequestRule[] => {
    const groupOf = (config: FactoryConfig) => config.groups.find((g) => g.name === grant.group);
    return [
      {
        path: `access[${i}].group`,
        breaks: ({ config }) => groupOf(config) === undefined,
        message: ({ config }) =>
          `group ${grant.group} is not configured (configured: ${listOr(config.groups.map((g) => g.name))})`,
      },
      {
        path: `access[${i}].permissionSet`,
        breaks: ({ config }) => {
          const group = groupOf(config);
          return group !== undefined && !group.permissionSets.includes(grant.permissionSet);
        },
        message: ({ config }) =>
          `group ${grant.group} may not receive ${grant.permissionSet} (may receive: ${listOr(groupOf(config)?.permissionSets ?? [])})`,
      },
    ];
  });
}

/** The webhook URL against the config: https unless http is allowed; no private addresses. */
function webhookRules(body: RequestShape): RequestRule[] {
  const url = body.webhook === undefined ? undefined : new URL(body.webhook.url);
  if (!url) return [];
  return [
    {
      path: 'webhook.url',
      breaks: ({ config }) => url.protocol !== 'https:' && !config.events.webhooks.allowHttp,
      message: () => `webhook URLs must use https (received ${url.protocol}//…)`,
    },
    {
      path: 'webhook.url',
      breaks: ({ config }) => addressRefusal(url.hostname, config.events.webhooks) !== undefined,
      message: ({ config }) =>
        `webhook host ${url.hostname} is ${addressRefusal(url.hostname, config.events.webhooks)?.description}; the factory does not post into its own network`,
    },
    {
      path: 'webhook.url',
      breaks: () => url.username !== '' || url.password !== '',
      message: () => 'webhook URLs must not carry credentials; the deliveries are signed with the secret',
    },
  ];
}

/** One rule per tag the config requires on every account. */
function requiredTagRules(config: FactoryConfig): RequestRule[] {
  return config.accounts.requiredTags.map((tag) => ({
    path: `tags.${tag}`,
    breaks: ({ body }) => !(tag in body.tags),
    message: () =>
      `tag ${tag} is required on every account (required: ${config.accounts.requiredTags.join(', ')})`,
  }));
}

/**
 * The second validation pass: what the request means against the config. Returns every problem,
 * each with its field path; an empty list means the request may be queued.
 */
export function requestMeaningProblems(body: RequestShape, config: FactoryConfig): Problem[] {
  const ctx: RuleContext = {
    body,
    config,
    ou: config.organizationalUnits.find((o) => o.path === body.organizationalUnit),
    team: config.teams.find((t) => t.name === body.owner.team),
  };
  return [
    ...staticRules,
    ...accessRules(body),
    ...ownershipRules(body),
    ...budgetRules(body),
    ...tagRules(body),
    ...webhookRules(body),
    ...requiredTagRules(config),
  ]
    .filter((rule) => rule.breaks(ctx))
    .map((rule) => ({ path: rule.path, message: rule.message(ctx) }));
}

/**
 * Whether this principal may file this request at all (403, kept apart from the 400 problems):
 * only requesters and platform may request; a requester acts only for its own team and only into
 * the OUs the config allows that team. An OU that is not configured is left to the 400 rules.
 */
export function assertMayRequest(principal: Principal, body: RequestShape, config: FactoryConfig): void {
  requireRole(principal, ['requester', 'platform'], 'request accounts');
  if (principal.role !== 'requester') return;
  if (body.owner.team !== principal.team) {
    throw new ForbiddenError(
      `this token acts for team ${principal.team ?? '(none)'} only; the request names owner.team ${body.owner.team}`,
    );
  }
  const team = config.teams.find((t) => t.name === principal.team);
  const ouConfigured = config.organizationalUnits.some((o) => o.path === body.organizationalUnit);
  if (ouConfigured && !team?.organizationalUnits.includes(body.organizationalUnit)) {
    throw new ForbiddenError(
      `team ${body.owner.team} may not request accounts in ${body.organizationalUnit} (allowed: ${listOr(team?.organizationalUnits ?? [])})`,
    );
  }
}

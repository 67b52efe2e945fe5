import type { z } from 'zod';
import type { AccountRequestBodySchema } from '../../domain/account-request';
import type { FactoryConfig, OrganizationalUnitConfig, TeamConfig } from '../../config/schema';

/** A request body whose shape AccountRequestBodySchema has accepted (tags defaulted). */
export type RequestShape = z.output<typeof AccountRequestBodySchema>;

export interface RuleContext {
  body: RequestShape;
  config: FactoryConfig;
  /** The OU the request names, if it is configured. */
  ou: OrganizationalUnitConfig | undefined;
  /** The owning team, if it is configured. */
  team: TeamConfig | undefined;
}

/** One meaning rule: where it points, when the request breaks it, and what to tell the caller. */
export interface RequestRule {
  /** Field path relative to the request body. */
  path: string;
  breaks(ctx: RuleContext): boolean;
  message(ctx: RuleContext): string;
}

export const listOr = (values: readonly string[]): string => (values.length > 0 ? values.join(', ') : 'none');

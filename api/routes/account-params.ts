import { z } from 'zod';
import { ERROR_RESPONSES, ErrorResponseSchema } from '../errors';

/** What the account routes (lifecycle, changes, verifications) share: their prefix, tag and params. */
export const ACCOUNTS_PREFIX = '/v1/accounts';
export const ACCOUNT_TAGS = ['account lifecycle'];
export const AccountIdSchema = z.string().regex(/^\d{12}$/, 'an AWS account id: 12 digits');
export const AccountParams = z.object({ accountId: AccountIdSchema }).strict();
/** The shared error responses, and 429 (over the caller's rate limit). */
export const ACCOUNT_ERRORS = { ...ERROR_RESPONSES, 429: ErrorResponseSchema };

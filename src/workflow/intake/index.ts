export type { AccountDirectory, IdempotentIntakeDeps, IntakeDeps } from './deps';
export {
  ACCESS_CATALOG_TTL_MS,
  IdentityCenterCatalog,
  IdentityCenterUnavailableError,
  type AccessCatalog,
} from './access-catalog';
export { identityCenterProblems } from './access-preflight';
export { assertMayRequest, requestMeaningProblems, type RequestShape } from './validate-request';
export {
  checkAccountRequest,
  newRequestId,
  submitAccountRequest,
  submitIdempotently,
  type Submission,
  type SubmitOptions,
} from './submit-request';
export { IdempotencyKeyReusedError } from './idempotency';
export { readAuditLog, recordAudit, type AuditEvent } from './audit-log';
export {
  approveAccountRequest,
  cancelAccountRequest,
  ENDED_BY_A_PERSON,
  rejectAccountRequest,
  retryAccountRequest,
} from './request-actions';
export { getAccountRequest, listAccountRequests, type RequestFilter } from './read-requests';
export {
  DEFAULT_TOKEN_DAYS,
  listTokenViews,
  revokeToken,
  tokenExpiry,
  tokenId,
  tokenView,
  TokenViewSchema,
  type TokenView,
} from './tokens';

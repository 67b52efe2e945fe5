export type { AccountDirectory, IntakeDeps } from './deps';
export { canSeeTeam, requireRole, type Principal } from './principal';
export { assertMayRequest, requestMeaningProblems, type RequestShape } from './validate-request';
export { newRequestId, submitAccountRequest } from './submit-request';
export { approveAccountRequest, retryAccountRequest } from './request-actions';
export { getAccountRequest, listAccountRequests, type RequestFilter } from './read-requests';

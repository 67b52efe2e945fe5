/**
 * The operationId of each route (what generated clients call it) and, where the route's schema
 * has none, its description. Keyed `METHOD /path` as the OpenAPI document spells the path. A
 * route missing here still gets a unique id derived from its method and path.
 */
export const OPERATIONS: Record<string, { id: string; description?: string }> = {
  'GET /healthz': {
    id: 'getHealth',
    description: 'Answers 200 while the process serves; no token, no store access.',
  },
  'GET /metrics': { id: 'getMetrics' },
  'POST /v1/account-requests': { id: 'createAccountRequest' },
  'GET /v1/account-requests': { id: 'listAccountRequests' },
  'GET /v1/account-requests/{id}': {
    id: 'getAccountRequest',
    description:
      'The request as it stands: status, current phase, every step with its timing and detail, the control results once verified, the error of a FAILED request, its place in the CreateAccount queue, and its events.',
  },
  'POST /v1/account-requests/{id}/retry': {
    id: 'retryAccountRequest',
    description:
      'A FAILED request goes back to the queue at the phase that failed; what it had done stays done.',
  },
  'POST /v1/account-requests/{id}/approve': {
    id: 'approveAccountRequest',
    description:
      'A request into an OU that requires approval waits in PENDING_APPROVAL until a platform token approves it; it is then QUEUED.',
  },
  'POST /v1/account-requests/{id}/reject': { id: 'rejectAccountRequest' },
  'POST /v1/account-requests/{id}/cancel': { id: 'cancelAccountRequest' },
  'POST /v1/account-requests/{id}/redeliver': {
    id: 'redeliverAccountRequestEvents',
    description: "The request's events whose delivery was given up are delivered again, in order.",
  },
  'GET /v1/accounts': {
    id: 'listAccounts',
    description: 'Filter by OU, team, baseline version or compliance; a requester sees its own team only.',
  },
  'GET /v1/accounts/{accountId}': {
    id: 'getAccount',
    description: 'Owner, OU, budget, access, tags, lifecycle status, baseline version and redeploy state.',
  },
  'PATCH /v1/accounts/{accountId}': { id: 'updateAccount' },
  'GET /v1/accounts/{accountId}/changes/{changeId}': {
    id: 'getAccountChange',
    description:
      'A change sent with PATCH: PENDING_APPROVAL, QUEUED, IN_PROGRESS, then SUCCEEDED, FAILED (with the reason; AWS and the inventory as before) or REJECTED; who approved or rejected it, and its history.',
  },
  'POST /v1/accounts/{accountId}/changes/{changeId}/approve': {
    id: 'approveAccountChange',
    description:
      'An access or budget change on an account in an OU that requires approval waits in PENDING_APPROVAL until a platform token approves it; it is then QUEUED for the worker.',
  },
  'POST /v1/accounts/{accountId}/changes/{changeId}/reject': { id: 'rejectAccountChange' },
  'GET /v1/accounts/{accountId}/compliance': {
    id: 'getAccountCompliance',
    description:
      'Each control with PASS, FAIL or ERROR (could not be evaluated) and its evidence; 404 until the account is verified once.',
  },
  'POST /v1/accounts/{accountId}/verify': { id: 'verifyAccount' },
  'GET /v1/accounts/{accountId}/verifications/{verificationId}': {
    id: 'getAccountVerification',
    description:
      'A verification asked for with POST …/verify: QUEUED, IN_PROGRESS, then SUCCEEDED with a summary (PASS, FAIL and ERROR counts, blocking controls, settings re-applied) or FAILED with the reason.',
  },
  'POST /v1/accounts/{accountId}/move': { id: 'moveAccount' },
  'POST /v1/accounts/{accountId}/close': { id: 'closeAccount' },
  'POST /v1/accounts/{accountId}/close/cancel': {
    id: 'cancelAccountClosure',
    description: 'Cancels a scheduled closure while its grace period runs. Same as DELETE on …/close.',
  },
  'DELETE /v1/accounts/{accountId}/close': {
    id: 'deleteAccountClosure',
    description: 'Cancels a scheduled closure while its grace period runs. Same as POST …/close/cancel.',
  },
  'POST /v1/accounts/import': { id: 'importAccount' },
  'GET /v1/audit': { id: 'listAuditEntries' },
  'GET /v1/baselines': {
    id: 'getBaselines',
    description:
      'The version the config describes now, its parts, and how many READY accounts run each version.',
  },
  'POST /v1/rollouts': {
    id: 'startRollout',
    description:
      'Starts rolling the current baseline version out: a canary wave, then cumulative waves; a wave failing above the threshold halts it. With `dryRun: true`, answers 200 with the plan and writes nothing. Every field is optional.',
  },
  'GET /v1/rollouts': {
    id: 'listRollouts',
    description: 'Every rollout with its state and waves, oldest first.',
  },
  'GET /v1/rollouts/{id}': {
    id: 'getRollout',
    description: 'One rollout: its waves, their accounts and results, and its log.',
  },
  'POST /v1/rollouts/{id}/halt': {
    id: 'haltRollout',
    description: 'The rollout stops after the step in flight.',
  },
  'POST /v1/rollouts/{id}/resume': {
    id: 'resumeRollout',
    description: 'A halted rollout runs again from where it stopped.',
  },
  'GET /v1/drift': {
    id: 'getDrift',
    description: 'The sweep running now, or else the last one, with its findings.',
  },
  'POST /v1/drift/sweeps': {
    id: 'startDriftSweep',
    description: 'Starts a drift sweep now; 409 while one is running.',
  },
  'GET /v1/drift/sweeps': { id: 'listDriftSweeps', description: 'Finished sweeps, newest first, paginated.' },
  'GET /v1/drift/sweeps/{id}': {
    id: 'getDriftSweep',
    description: 'One sweep with its stored findings and errors.',
  },
};

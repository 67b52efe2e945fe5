import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import { api, ApiError } from '../api';
import { canApprove, canChange } from '../roles';
import type { Principal, RequestView } from '../types';

/** Before its CreateAccount starts, a request may still be cancelled (the API answers 409 after). */
const CANCELLABLE = new Set(['PENDING_APPROVAL', 'QUEUED']);

type Action = 'approve' | 'retry' | 'reject' | 'cancel';

const DONE: Record<Action, string> = {
  approve: 'Approved: the request is queued.',
  retry: 'Retrying from the phase that failed.',
  reject: 'Rejected: the requester sees your reason.',
  cancel: 'Cancelled: no account will be created.',
};

/**
 * What the signed-in role may do with a request now: approve or reject it with a reason
 * (platform, while it waits for approval), cancel it before its account creation starts (its team
 * or platform), retry it once it failed. The API decides each call; its answer is shown as is.
 */
export function RequestActions(props: {
  r: RequestView;
  me: Principal;
  onDone: (message: string) => void;
  onError: (error: ApiError | undefined) => void;
}) {
  const { r, me } = props;
  const [reason, setReason] = useState('');
  const act = async (action: Action, body?: object) => {
    props.onError(undefined);
    try {
      await api('POST', `/v1/account-requests/${r.id}/${action}`, body);
      props.onDone(DONE[action]);
    } catch (err) {
      props.onError(err as ApiError);
    }
  };
  const pending = r.status === 'PENDING_APPROVAL' && canApprove(me.role);
  const cancellable = CANCELLABLE.has(r.status) && canChange(me.role);
  const trimmed = reason.trim();
  return html`<div class="actions">
      ${pending && html`<button type="button" onClick=${() => act('approve')}>Approve</button>`}
      ${r.status === 'FAILED' && canChange(me.role) && html`<button type="button" onClick=${() => act('retry')}>Retry</button>`}
    </div>
    ${
      (pending || cancellable) &&
      html`<form class="field" aria-label="Reject or cancel" onSubmit=${(e: Event) => e.preventDefault()}>
        <label for="decision-reason">Reason${pending ? '' : ' (optional)'}</label>
        <input
          id="decision-reason"
          value=${reason}
          maxlength="500"
          onInput=${(e: Event) => setReason((e.target as HTMLInputElement).value)}
        />
        <span class="hint"
          >${pending ? 'Required to reject; told to the requester.' : 'Told to whoever reads the request.'}</span
        >
        <div class="actions">
          ${pending && html`<button type="button" disabled=${!trimmed} onClick=${() => act('reject', { reason: trimmed })}>Reject</button>`}
          ${cancellable && html`<button type="button" class="secondary" onClick=${() => act('cancel', trimmed ? { reason: trimmed } : undefined)}>Cancel request</button>`}
        </div>
      </form>`
    }`;
}

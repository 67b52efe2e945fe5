import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import { api, ApiError } from '../api';
import { ErrorBox, Notice, Status, usd, when } from '../components';
import { useLoad } from '../hooks';
import type { Principal, RequestView } from '../types';
import { RequestActions } from './request-actions';

const SETTLED = new Set(['READY', 'FAILED', 'PENDING_APPROVAL']);

/** One request, refreshed every 1.5 s until it settles: steps, queue place, controls, error, actions (approve, reject, cancel, retry). */
export function RequestDetail({ id, me }: { id: string; me: Principal }) {
  const [actionError, setActionError] = useState<ApiError | undefined>();
  const [done, setDone] = useState<string | undefined>();
  const req = useLoad(() => api<RequestView>('GET', `/v1/account-requests/${id}`), [id], {
    everyMs: 1500,
    keepPolling: (r) => !SETTLED.has(r.status),
  });
  const acted = (message: string) => {
    setDone(message);
    req.reload();
  };
  const r = req.data;
  return html`<h1>Request ${id}</h1>
    <p><a href="#/requests">All requests</a></p>
    <${ErrorBox} error=${actionError ?? req.error} />
    ${done && html`<${Notice}>${done}<//>`} ${!r && !req.error && html`<p role="status">Loading…</p>`}
    ${
      r &&
      html`<section aria-labelledby="summary-h">
          <h2 id="summary-h">Summary</h2>
          <dl class="facts">
            <dt>Status</dt>
            <dd aria-live="polite" data-testid="request-status">
              <${Status} value=${r.status} /> (phase ${r.phase})
            </dd>
            ${
              r.queue &&
              html`<dt>Queue</dt>
                <dd>
                  position ${r.queue.position} of ${r.queue.of} waiting; ${r.queue.slotsInUse} of
                  ${r.queue.slots} account creations in use
                </dd>`
            }
            <dt>Account</dt>
            <dd>
              ${r.accountId ? html`<a href=${`#/accounts/${r.accountId}`}>${r.accountId}</a>` : 'not created yet'}
            </dd>
            <dt>Name</dt>
            <dd>${r.request.accountName} (${r.request.email})</dd>
            <dt>OU</dt>
            <dd>${r.request.organizationalUnit}</dd>
            <dt>Team</dt>
            <dd>${r.team}, owner ${r.request.owner.email}</dd>
            <dt>Cost centre</dt>
            <dd>${r.request.costCenter}</dd>
            <dt>Budget</dt>
            <dd>
              ${usd(r.request.budget.monthlyLimitUsd)} a month, alerts at
              ${r.request.budget.thresholdsPercent.join('%, ')}%
            </dd>
            <dt>Access</dt>
            <dd>${r.request.access.map((a) => `${a.group} → ${a.permissionSet}`).join('; ') || 'none'}</dd>
            ${
              r.controls &&
              html`<dt>Controls</dt>
                <dd>${r.controls.passed} passed, ${r.controls.failed} failed, ${r.controls.error} errors</dd>`
            }
            <dt>Requested</dt>
            <dd>${when(r.createdAt)} by ${r.createdBy}</dd>
          </dl>
          ${
            r.error &&
            html`<div class="error" role="alert">
              <p>
                <strong>${r.error.code}</strong>${r.error.phase ? ` in ${r.error.phase}` : ''}:
                ${r.error.message}
              </p>
            </div>`
          }
          <${RequestActions} r=${r} me=${me} onDone=${acted} onError=${setActionError} />
        </section>
        <section aria-labelledby="steps-h">
          <h2 id="steps-h">Progress</h2>
          <ol class="steps">
            ${r.steps.map(
              (s) =>
                html`<li class=${`step step-${s.status.toLowerCase()}`}>
                  <span class="step-name">${s.name}</span> <${Status} value=${s.status} />
                  ${s.finishedAt ? html` <span class="hint">${when(s.finishedAt)}</span>` : ''}
                  ${s.detail && html`<div class="hint">${s.detail}</div>`}
                </li>`,
            )}
          </ol>
        </section>`
    }`;
}

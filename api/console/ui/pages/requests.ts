import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import { api, ApiError, query } from '../api';
import { ErrorBox, Notice, Select, Status, TextFilter, when } from '../components';
import { useLoad } from '../hooks';
import { canApprove } from '../roles';
import type { Page, Principal, RequestView } from '../types';

const STATUSES = ['PENDING_APPROVAL', 'QUEUED', 'IN_PROGRESS', 'READY', 'FAILED'] as const;
const PAGE_SIZE = 50;

/** Newest first, refreshed every 3 s; "Show more" follows the API's cursor. */
export function Requests({ me, approvals = false }: { me: Principal; approvals?: boolean }) {
  const [status, setStatus] = useState(approvals ? 'PENDING_APPROVAL' : '');
  const [team, setTeam] = useState('');
  const [pages, setPages] = useState(1);
  const [acted, setActed] = useState<string | undefined>();
  const [actionError, setActionError] = useState<ApiError | undefined>();
  const filter = approvals ? 'PENDING_APPROVAL' : status;
  const list = useLoad(
    async () => {
      const items: RequestView[] = [];
      let cursor: string | undefined;
      for (let i = 0; i < pages; i++) {
        const page = await api<Page<RequestView>>(
          'GET',
          `/v1/account-requests${query({ status: filter, team, limit: PAGE_SIZE, cursor })}`,
        );
        items.push(...page.items);
        cursor = page.nextCursor;
        if (!cursor) break;
      }
      return { items, more: cursor !== undefined };
    },
    [filter, team, pages],
    { everyMs: 3000 },
  );
  const approve = async (id: string) => {
    setActionError(undefined);
    try {
      await api('POST', `/v1/account-requests/${id}/approve`);
      setActed(`Approved ${id}: it is queued for its account.`);
      list.reload();
    } catch (err) {
      setActionError(err as ApiError);
    }
  };
  const title = approvals
    ? 'Approvals'
    : me.role === 'requester'
      ? `Requests of team ${me.team ?? ''}`
      : 'Requests';
  return html`<h1>${title}</h1>
    ${approvals && html`<p>Requests into organisational units that need approval wait here for a platform engineer.</p>`}
    <form class="filters" onSubmit=${(e: Event) => e.preventDefault()} aria-label="Filter requests">
      ${
        !approvals &&
        html`<${Select}
          id="f-status"
          label="Status"
          value=${status}
          options=${STATUSES}
          onChange=${(v: string) => {
            setStatus(v);
            setPages(1);
          }}
        />`
      }
      ${
        me.role !== 'requester' &&
        html`<${TextFilter}
          id="f-team"
          label="Team"
          value=${team}
          onChange=${(v: string) => {
            setTeam(v);
            setPages(1);
          }}
        />`
      }
    </form>
    ${acted && html`<${Notice}>${acted}<//>`}
    <${ErrorBox} error=${actionError ?? list.error} />
    ${!list.data && !list.error && html`<p role="status">Loading requests…</p>`}
    ${
      list.data &&
      html`<table>
          <caption>
            ${list.data.items.length} request(s)${list.data.more ? ' shown, more below' : ''}; refreshed every
            3 s
          </caption>
          <thead>
            <tr>
              <th scope="col">Request</th>
              <th scope="col">Account name</th>
              <th scope="col">Team</th>
              <th scope="col">OU</th>
              <th scope="col">Status</th>
              <th scope="col">Phase</th>
              <th scope="col">Updated</th>
              ${approvals && html`<th scope="col">Decision</th>`}
            </tr>
          </thead>
          <tbody>
            ${list.data.items.map(
              (r) =>
                html`<tr key=${r.id}>
                  <td><a href=${`#/requests/${r.id}`}>${r.id}</a></td>
                  <td>${r.request.accountName}</td>
                  <td>${r.team}</td>
                  <td>${r.request.organizationalUnit}</td>
                  <td>
                    <${Status}
                      value=${r.status}
                    />${r.queue ? html` <span class="hint">#${r.queue.position} of ${r.queue.of}</span>` : ''}
                  </td>
                  <td>${r.phase}</td>
                  <td>${when(r.updatedAt)}</td>
                  ${approvals && html`<td>${canApprove(me.role) && html`<button type="button" onClick=${() => approve(r.id)} aria-label=${`Approve ${r.id} (${r.request.accountName})`}>Approve</button> <a href=${`#/requests/${r.id}`} aria-label=${`Reject ${r.id} (${r.request.accountName}) with a reason`}>Reject…</a>`}</td>`}
                </tr>`,
            )}
          </tbody>
        </table>
        ${list.data.items.length === 0 && html`<p>No requests${filter ? ` with status ${filter}` : ''}.</p>`}
        ${list.data.more && html`<button type="button" class="secondary" onClick=${() => setPages(pages + 1)}>Show ${PAGE_SIZE} more</button>`}`
    }`;
}

import { html } from 'htm/preact';
import { api } from '../api';
import { spendByAccount } from '../costs';
import { ErrorBox, Status, usd, when } from '../components';
import { useLoad } from '../hooks';
import type { AccountView, ControlResult } from '../types';

interface Compliance {
  verifiedAt: string;
  results: ControlResult[];
}

/** One account: OU, every control with its evidence, budget (and spend when known), access. */
export function AccountDetail({ id }: { id: string }) {
  const account = useLoad(() => api<AccountView>('GET', `/v1/accounts/${id}`), [id]);
  const a = account.data;
  // Only a verified account has a compliance record: asking before would be a 404.
  const compliance = useLoad(
    async () => (a?.lastVerifiedAt ? api<Compliance>('GET', `/v1/accounts/${id}/compliance`) : undefined),
    [id, a?.lastVerifiedAt],
  );
  const spend = useLoad(async () => (await spendByAccount())?.get(id), [id]);
  return html`<h1>Account ${id}</h1>
    <p><a href="#/accounts">All accounts</a></p>
    <${ErrorBox} error=${account.error ?? compliance.error} />
    ${
      a &&
      html`<dl class="facts">
        <dt>Name</dt>
        <dd>${a.accountName} (${a.email})</dd>
        <dt>Status</dt>
        <dd><${Status} value=${a.status} /></dd>
        <dt>OU</dt>
        <dd>${a.organizationalUnit}</dd>
        <dt>Team</dt>
        <dd>${a.team}</dd>
        <dt>Cost centre</dt>
        <dd>${a.costCenter}</dd>
        <dt>Budget</dt>
        <dd>
          ${usd(a.budget.monthlyLimitUsd)} a month, alerts at ${a.budget.thresholdsPercent.join('%, ')}%
        </dd>
        <dt>Spend</dt>
        <dd>
          ${spend.data?.spendUsd !== undefined ? `${usd(spend.data.spendUsd)} this month${spend.data.forecastUsd !== undefined ? `, forecast ${usd(spend.data.forecastUsd)}` : ''}` : 'no spend data yet'}
        </dd>
        <dt>Access</dt>
        <dd>${a.access.map((x) => `${x.group} → ${x.permissionSet}`).join('; ') || 'none'}</dd>
        <dt>Baseline</dt>
        <dd>${a.baselineVersion ?? 'not recorded'}</dd>
        <dt>Request</dt>
        <dd><a href=${`#/requests/${a.requestId}`}>${a.requestId}</a></dd>
      </dl>`
    }
    <h2>Controls</h2>
    ${compliance.data === undefined && !compliance.error && html`<p>Not verified yet.</p>`}
    ${
      compliance.data &&
      html`<table>
        <caption>
          Verified ${when(compliance.data.verifiedAt)}
        </caption>
        <thead>
          <tr>
            <th scope="col">Control</th>
            <th scope="col">Title</th>
            <th scope="col">Region</th>
            <th scope="col">Result</th>
            <th scope="col">Evidence</th>
          </tr>
        </thead>
        <tbody>
          ${compliance.data.results.map(
            (c, i) =>
              html`<tr key=${i}>
                <td>${c.id}</td>
                <td>${c.title}</td>
                <td>${c.region ?? ''}</td>
                <td><${Status} value=${c.status} /></td>
                <td class="evidence">${c.evidence}</td>
              </tr>`,
          )}
        </tbody>
      </table>`
    }`;
}

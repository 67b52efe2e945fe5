import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import { api, query } from '../api';
import { ErrorBox, Select, Status, TextFilter, usd, when } from '../components';
import { useLoad } from '../hooks';
import type { AccountView, Page, Principal } from '../types';

const COMPLIANCE = ['compliant', 'non-compliant', 'unverified'] as const;

/** The inventory, filterable by OU, team, baseline version and compliance. */
export function Accounts({ me }: { me: Principal }) {
  const [f, setF] = useState({ ou: '', team: '', baselineVersion: '', compliance: '' });
  const [cursor, setCursor] = useState<string | undefined>();
  const list = useLoad(
    () => api<Page<AccountView>>('GET', `/v1/accounts${query({ ...f, cursor, limit: 50 })}`),
    [f.ou, f.team, f.baselineVersion, f.compliance, cursor],
  );
  const update = (key: keyof typeof f) => (v: string) => {
    setF({ ...f, [key]: v });
    setCursor(undefined);
  };
  return html`<h1>Accounts</h1>
    <form class="filters" onSubmit=${(e: Event) => e.preventDefault()} aria-label="Filter accounts">
      <${TextFilter} id="a-ou" label="OU" value=${f.ou} onChange=${update('ou')} />
      ${me.role !== 'requester' && html`<${TextFilter} id="a-team" label="Team" value=${f.team} onChange=${update('team')} />`}
      <${TextFilter}
        id="a-version"
        label="Baseline version"
        value=${f.baselineVersion}
        onChange=${update('baselineVersion')}
      />
      <${Select}
        id="a-compliance"
        label="Compliance"
        value=${f.compliance}
        options=${COMPLIANCE}
        onChange=${update('compliance')}
      />
    </form>
    <${ErrorBox} error=${list.error} />
    ${
      list.data &&
      html`<table>
          <caption>
            ${list.data.items.length} account(s)
          </caption>
          <thead>
            <tr>
              <th scope="col">Account</th>
              <th scope="col">Name</th>
              <th scope="col">OU</th>
              <th scope="col">Team</th>
              <th scope="col">Status</th>
              <th scope="col">Controls</th>
              <th scope="col">Baseline</th>
              <th scope="col">Budget</th>
              <th scope="col">Verified</th>
            </tr>
          </thead>
          <tbody>
            ${list.data.items.map(
              (a) =>
                html`<tr key=${a.accountId}>
                  <td><a href=${`#/accounts/${a.accountId}`}>${a.accountId}</a></td>
                  <td>${a.accountName}</td>
                  <td>${a.organizationalUnit}</td>
                  <td>${a.team}</td>
                  <td><${Status} value=${a.status} /></td>
                  <td>
                    ${a.controls ? `${a.controls.passed} pass, ${a.controls.failed} fail` : 'not verified'}
                  </td>
                  <td>${a.baselineVersion ?? ''}</td>
                  <td>${usd(a.budget.monthlyLimitUsd)}</td>
                  <td>${when(a.lastVerifiedAt)}</td>
                </tr>`,
            )}
          </tbody>
        </table>
        ${list.data.nextCursor && html`<button type="button" class="secondary" onClick=${() => setCursor(list.data?.nextCursor)}>Next page</button>`}`
    }`;
}

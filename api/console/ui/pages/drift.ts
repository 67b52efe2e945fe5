import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import { api, ApiError } from '../api';
import { ErrorBox, Notice, when } from '../components';
import { useLoad } from '../hooks';
import { canApprove } from '../roles';
import type { Page, Principal } from '../types';

interface Finding {
  accountId: string;
  controlId: string;
  title: string;
  region?: string;
  evidence: string;
  detectedAt: string;
  remediated?: boolean;
}
interface Sweep {
  id: string;
  startedAt: string;
  finishedAt?: string;
  accountsChecked: number;
  accountsFailed?: number;
  findingsTotal: number;
  findings?: Finding[];
  startedBy?: string;
}

function Findings({ findings }: { findings: Finding[] }) {
  if (findings.length === 0) return html`<p>No findings.</p>`;
  return html`<table>
    <caption>
      Findings
    </caption>
    <thead>
      <tr>
        <th scope="col">Account</th>
        <th scope="col">Control</th>
        <th scope="col">Region</th>
        <th scope="col">Evidence</th>
        <th scope="col">Remediated</th>
      </tr>
    </thead>
    <tbody>
      ${findings.map(
        (f, i) =>
          html`<tr key=${i}>
            <td><a href=${`#/accounts/${f.accountId}`}>${f.accountId}</a></td>
            <td>${f.controlId}: ${f.title}</td>
            <td>${f.region ?? ''}</td>
            <td class="evidence">${f.evidence}</td>
            <td>${f.remediated ? 'yes' : 'no'}</td>
          </tr>`,
      )}
    </tbody>
  </table>`;
}

/** The sweep running now (or the last), the history of sweeps with their findings; platform starts one. */
export function Drift({ me }: { me: Principal }) {
  const [error, setError] = useState<ApiError | undefined>();
  const [notice, setNotice] = useState<string | undefined>();
  const current = useLoad(() => api<{ sweep?: Sweep; nextSweepAt?: string }>('GET', '/v1/drift'), [], {
    everyMs: 3000,
  });
  const history = useLoad(() => api<Page<Sweep>>('GET', '/v1/drift/sweeps?limit=10'), []);
  const start = async () => {
    setError(undefined);
    try {
      const sweep = await api<Sweep>('POST', '/v1/drift/sweeps');
      setNotice(`Sweep ${sweep.id} started.`);
      current.reload();
    } catch (err) {
      setError(err as ApiError);
    }
  };
  const s = current.data?.sweep;
  return html`<h1>Drift</h1>
    <${ErrorBox} error=${error ?? current.error ?? history.error} />
    ${notice && html`<${Notice}>${notice}<//>`}
    ${canApprove(me.role) && html`<div class="actions"><button type="button" onClick=${start}>Start a sweep now</button></div>`}
    <h2>Current sweep</h2>
    ${!s && html`<p>No sweep yet${current.data?.nextSweepAt ? `; next at ${when(current.data.nextSweepAt)}` : ''}.</p>`}
    ${
      s &&
      html`<p>
          ${s.id}: started
          ${when(s.startedAt)}${s.finishedAt ? `, finished ${when(s.finishedAt)}` : ', running'};
          ${s.accountsChecked} account(s) checked, ${s.findingsTotal} finding(s).
        </p>
        <${Findings} findings=${s.findings ?? []} />`
    }
    <h2>Earlier sweeps</h2>
    <ul>
      ${history.data?.items.map((h) => html`<li key=${h.id}>${h.id}: ${h.accountsChecked} account(s), ${h.findingsTotal} finding(s), ${when(h.finishedAt)}</li>`)}
    </ul>
    ${history.data?.items.length === 0 && html`<p>None finished yet.</p>`}`;
}

import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import { api, ApiError } from '../api';
import { ErrorBox, Notice, Status, when } from '../components';
import { useLoad } from '../hooks';
import { canApprove } from '../roles';
import type { Page, Principal } from '../types';

interface Wave {
  index: number;
  label: string;
  accounts: string[];
  status?: string;
  startedAt?: string;
  finishedAt?: string;
}
interface Rollout {
  id: string;
  toVersion: string;
  status: string;
  haltReason?: string;
  waves: Wave[];
  createdAt?: string;
}
interface Plan {
  toVersion: string;
  fromVersions: Record<string, number>;
  waves: Wave[];
}
interface Baselines {
  current: { version: string };
  accountsByVersion: Record<string, number>;
}

/** Baseline versions, rollouts with their waves as they run; platform plans, starts, halts, resumes. */
export function Rollouts({ me }: { me: Principal }) {
  const may = canApprove(me.role);
  const [plan, setPlan] = useState<Plan | undefined>();
  const [error, setError] = useState<ApiError | undefined>();
  const [notice, setNotice] = useState<string | undefined>();
  const baselines = useLoad(() => api<Baselines>('GET', '/v1/baselines'), []);
  const rollouts = useLoad(() => api<Page<Rollout>>('GET', '/v1/rollouts?limit=50'), [], { everyMs: 3000 });
  const run = async (what: string, call: () => Promise<unknown>) => {
    setError(undefined);
    try {
      await call();
      setNotice(what);
      rollouts.reload();
    } catch (err) {
      setError(err as ApiError);
    }
  };
  return html`<h1>Rollouts</h1>
    <${ErrorBox} error=${error ?? baselines.error ?? rollouts.error} />
    ${notice && html`<${Notice}>${notice}<//>`}
    ${
      baselines.data &&
      html`<p>
        Current baseline version <strong>${baselines.data.current.version}</strong>; READY accounts by
        version:
        ${
          Object.entries(baselines.data.accountsByVersion)
            .map(([v, n]) => `${v}: ${n}`)
            .join(', ') || 'none'
        }.
      </p>`
    }
    ${
      may &&
      html`<div class="actions">
        <button
          type="button"
          class="secondary"
          onClick=${() => run('Plan ready below.', async () => setPlan(await api<Plan>('POST', '/v1/rollouts', { dryRun: true })))}
        >
          Plan a rollout
        </button>
        <button type="button" onClick=${() => run('Rollout started.', () => api('POST', '/v1/rollouts', {}))}>
          Start a rollout
        </button>
      </div>`
    }
    ${
      plan &&
      html`<section aria-labelledby="plan-h">
        <h2 id="plan-h">Plan to ${plan.toVersion}</h2>
        <ul>
          ${plan.waves.map((w) => html`<li>Wave ${w.index} (${w.label}): ${w.accounts.length} account(s)</li>`)}
        </ul>
        ${plan.waves.length === 0 && html`<p>Nothing to roll out: every account is on ${plan.toVersion}.</p>`}
      </section>`
    }
    <h2>Rollouts</h2>
    ${rollouts.data?.items.length === 0 && html`<p>No rollouts yet.</p>`}
    ${rollouts.data?.items.map(
      (r) =>
        html`<section class="card" key=${r.id} aria-label=${`Rollout ${r.id}`}>
          <h3>${r.id} → ${r.toVersion} <${Status} value=${r.status} /></h3>
          ${r.haltReason && html`<p class="hint">Halted: ${r.haltReason}</p>`}
          <ol>
            ${r.waves.map((w) => html`<li>Wave ${w.index} (${w.label}): ${w.accounts.length} account(s), <${Status} value=${w.status ?? 'PENDING'} /> ${when(w.finishedAt)}</li>`)}
          </ol>
          ${may && r.status === 'RUNNING' && html`<button type="button" class="secondary" onClick=${() => run(`Halted ${r.id}.`, () => api('POST', `/v1/rollouts/${r.id}/halt`))}>Halt ${r.id}</button>`}
          ${may && r.status === 'HALTED' && html`<button type="button" onClick=${() => run(`Resumed ${r.id}.`, () => api('POST', `/v1/rollouts/${r.id}/resume`))}>Resume ${r.id}</button>`}
        </section>`,
    )}`;
}

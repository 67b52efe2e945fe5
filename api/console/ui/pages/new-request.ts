import { html } from 'htm/preact';
import { useRef, useState } from 'preact/hooks';
import { api, ApiError, type Problem } from '../api';
import { ErrorBox, usd } from '../components';
import type { Principal, RequestView, Spec } from '../types';

interface Fields {
  accountName: string;
  email: string;
  organizationalUnit: string;
  ownerTeam: string;
  ownerEmail: string;
  costCenter: string;
  monthlyLimitUsd: string;
  environment: string;
}

const FIELDS: { key: keyof Fields; path: string; label: string; hint?: string; type?: string }[] = [
  {
    key: 'accountName',
    path: 'body.accountName',
    label: 'Account name',
    hint: 'lower case, digits and dashes',
  },
  {
    key: 'email',
    path: 'body.email',
    label: 'Root email',
    type: 'email',
    hint: 'unused by any other account',
  },
  {
    key: 'organizationalUnit',
    path: 'body.organizationalUnit',
    label: 'Organisational unit',
    hint: 'e.g. Workloads/NonProd; Workloads/Prod needs approval',
  },
  { key: 'ownerTeam', path: 'body.owner.team', label: 'Owning team' },
  { key: 'ownerEmail', path: 'body.owner.email', label: 'Owner email', type: 'email' },
  { key: 'costCenter', path: 'body.costCenter', label: 'Cost centre' },
  {
    key: 'monthlyLimitUsd',
    path: 'body.budget.monthlyLimitUsd',
    label: 'Monthly budget (USD)',
    type: 'number',
    hint: 'empty: the factory default',
  },
  { key: 'environment', path: 'body.tags.environment', label: 'Tag: environment' },
];

function bodyOf(f: Fields): Record<string, unknown> {
  return {
    accountName: f.accountName,
    email: f.email,
    organizationalUnit: f.organizationalUnit,
    owner: { team: f.ownerTeam, email: f.ownerEmail },
    costCenter: f.costCenter,
    ...(f.monthlyLimitUsd
      ? { budget: { monthlyLimitUsd: Number(f.monthlyLimitUsd), thresholdsPercent: [80, 100] } }
      : {}),
    tags: f.environment ? { environment: f.environment } : {},
  };
}

interface CheckAnswer {
  valid: boolean;
  problems: Problem[];
  request?: Spec;
}

/** Problems by field; those no field shows (e.g. a missing required tag elsewhere) stay general. */
function byField(problems: Problem[]): { fields: Map<string, string[]>; other: Problem[] } {
  const fields = new Map<string, string[]>();
  const other: Problem[] = [];
  for (const p of problems) {
    const field = FIELDS.find(
      (f) =>
        p.path === f.path ||
        p.path.startsWith(`${f.path}.`) ||
        (f.key === 'environment' && p.path === 'body.tags'),
    );
    if (field) fields.set(field.key, [...(fields.get(field.key) ?? []), p.message]);
    else other.push(p);
  }
  return { fields, other };
}

/**
 * The request form. "Check" (and Submit, first) runs the API's own checks through
 * POST /v1/account-requests/check, which stores nothing, and shows every problem next to its field.
 */
export function NewRequest({ me }: { me: Principal }) {
  const [fields, setFields] = useState<Fields>({
    accountName: '',
    email: '',
    organizationalUnit: 'Workloads/NonProd',
    ownerTeam: me.team ?? '',
    ownerEmail: '',
    costCenter: '',
    monthlyLimitUsd: '',
    environment: 'dev',
  });
  const [problems, setProblems] = useState<{ fields: Map<string, string[]>; other: Problem[] }>({
    fields: new Map(),
    other: [],
  });
  const [error, setError] = useState<ApiError | undefined>();
  const [checked, setChecked] = useState<Spec | undefined>();
  const summary = useRef<HTMLDivElement>(null);

  const check = async (): Promise<boolean> => {
    setError(undefined);
    setChecked(undefined);
    try {
      const answer = await api<CheckAnswer>('POST', '/v1/account-requests/check', bodyOf(fields));
      const found = byField(answer.problems);
      setProblems(found);
      if (answer.valid && answer.request) {
        setChecked(answer.request);
        return true;
      }
      const first = FIELDS.find((f) => found.fields.has(f.key));
      if (first) document.getElementById(`nr-${first.key}`)?.focus();
      else summary.current?.focus();
      return false;
    } catch (err) {
      setError(err as ApiError);
      return false;
    }
  };
  const submit = async (e: Event) => {
    e.preventDefault();
    if (!(await check())) return;
    try {
      const created = await api<RequestView>('POST', '/v1/account-requests', bodyOf(fields));
      location.hash = `#/requests/${created.id}`;
    } catch (err) {
      setError(err as ApiError);
    }
  };
  const set = (key: keyof Fields) => (e: Event) =>
    setFields({ ...fields, [key]: (e.target as HTMLInputElement).value });

  return html`<h1>New account request</h1>
    <p>Every field is checked by the API's own rules before anything is submitted.</p>
    <div ref=${summary} tabindex="-1">
      <${ErrorBox} error=${error} />
      ${
        problems.other.length > 0 &&
        html`<div class="error" role="alert">
          <p>The request has problems:</p>
          <ul>
            ${problems.other.map((p) => html`<li><code>${p.path}</code>: ${p.message}</li>`)}
          </ul>
        </div>`
      }
    </div>
    <form class="request-form" onSubmit=${submit} novalidate>
      ${FIELDS.map((f) => {
        const messages = problems.fields.get(f.key);
        const ids = [f.hint ? `nr-${f.key}-hint` : '', messages ? `nr-${f.key}-error` : '']
          .filter(Boolean)
          .join(' ');
        return html`<div class="field">
          <label for=${`nr-${f.key}`}>${f.label}</label>
          <input
            id=${`nr-${f.key}`}
            type=${f.type ?? 'text'}
            value=${fields[f.key]}
            onInput=${set(f.key)}
            aria-invalid=${messages ? 'true' : undefined}
            aria-describedby=${ids || undefined}
          />
          ${f.hint && html`<span class="hint" id=${`nr-${f.key}-hint`}>${f.hint}</span>`}
          ${messages && html`<span class="field-error" id=${`nr-${f.key}-error`}>${messages.join('; ')}</span>`}
        </div>`;
      })}
      <div class="actions">
        <button type="button" class="secondary" onClick=${() => void check()}>Check</button>
        <button type="submit">Submit request</button>
      </div>
    </form>
    ${checked && html`<p role="status" class="notice">No problems: ${checked.accountName} into ${checked.organizationalUnit}, budget ${usd(checked.budget.monthlyLimitUsd)} a month.</p>`}`;
}

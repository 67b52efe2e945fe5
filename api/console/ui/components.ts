import { html } from 'htm/preact';
import type { ComponentChildren } from 'preact';
import type { ApiError } from './api';

/** A status as a word with a shape and colour (never colour alone). */
export function Status({ value }: { value: string }) {
  return html`<span class=${`status status-${value.toLowerCase()}`}>${value.replace(/_/g, ' ')}</span>`;
}

export function ErrorBox({ error }: { error: ApiError | Error | undefined }) {
  if (!error) return null;
  const problems = 'problems' in error ? error.problems : [];
  return html`<div class="error" role="alert">
    <p>${error.message}</p>
    ${
      problems.length > 0 &&
      html`<ul>
        ${problems.map((p) => html`<li><code>${p.path}</code>: ${p.message}</li>`)}
      </ul>`
    }
  </div>`;
}

export function Notice({ children }: { children: ComponentChildren }) {
  return html`<p class="notice" role="status">${children}</p>`;
}

/** A labelled select of fixed choices; '' means "any". */
export function Select(props: {
  id: string;
  label: string;
  value: string;
  options: readonly string[];
  onChange: (value: string) => void;
}) {
  return html`<label for=${props.id}>${props.label}</label>
    <select
      id=${props.id}
      value=${props.value}
      onChange=${(e: Event) => props.onChange((e.target as HTMLSelectElement).value)}
    >
      <option value="">any</option>
      ${props.options.map((o) => html`<option value=${o}>${o}</option>`)}
    </select>`;
}

/** A labelled text filter, applied on Enter or when the field loses focus. */
export function TextFilter(props: {
  id: string;
  label: string;
  value: string;
  onChange: (v: string) => void;
}) {
  const apply = (e: Event) => props.onChange((e.target as HTMLInputElement).value.trim());
  return html`<label for=${props.id}>${props.label}</label>
    <input
      id=${props.id}
      value=${props.value}
      onChange=${apply}
      onKeyDown=${(e: KeyboardEvent) => e.key === 'Enter' && apply(e)}
    />`;
}

export const when = (iso: string | undefined): string =>
  iso ? new Date(iso).toISOString().replace('T', ' ').slice(0, 19) + ' UTC' : '';

export const usd = (n: number): string =>
  n.toLocaleString('en-US', { style: 'currency', currency: 'USD', maximumFractionDigits: 0 });

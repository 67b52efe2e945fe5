import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import { api, ApiError } from '../api';
import { ErrorBox } from '../components';
import type { SessionInfo } from '../types';

/**
 * Exchanges an API token for a session. The token is posted once in the body and then dropped:
 * the field is cleared and nothing keeps it (the session is an HttpOnly cookie).
 */
export function SignIn({ onSignedIn }: { onSignedIn: (s: SessionInfo) => void }) {
  const [error, setError] = useState<ApiError | undefined>();
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const field = form.elements.namedItem('token') as HTMLInputElement;
    const token = field.value.trim();
    field.value = '';
    setBusy(true);
    try {
      onSignedIn(await api<SessionInfo>('POST', '/console/session', { token }));
    } catch (err) {
      setError(err as ApiError);
      field.focus();
    } finally {
      setBusy(false);
    }
  };
  return html`<main id="main" class="sign-in">
    <h1>Sign in to the avf console</h1>
    <p>
      Paste your API token (ask your platform team, who create them with <code>avf token create</code>). It is
      exchanged for a session cookie and not kept in the page.
    </p>
    <form method="post" action="/console/session" onSubmit=${submit}>
      <label for="token">API token</label>
      <input
        id="token"
        name="token"
        type="password"
        autocomplete="off"
        required
        aria-describedby="token-hint"
      />
      <p id="token-hint" class="hint">Starts with <code>avf_</code>. The session lasts 8 hours.</p>
      <button type="submit" disabled=${busy}>Sign in</button>
    </form>
    <${ErrorBox} error=${error} />
    <p><a href="/docs">The HTTP API (Swagger UI)</a></p>
  </main>`;
}

import { html } from 'htm/preact';
import { useEffect, useState } from 'preact/hooks';
import { api, setCsrf, whenSignedOut } from './api';
import { useRoute } from './hooks';
import { AccountDetail } from './pages/account-detail';
import { Accounts } from './pages/accounts';
import { Drift } from './pages/drift';
import { Finance } from './pages/finance';
import { NewRequest } from './pages/new-request';
import { RequestDetail } from './pages/request-detail';
import { Requests } from './pages/requests';
import { Rollouts } from './pages/rollouts';
import { SignIn } from './pages/sign-in';
import { homeOf, PAGES } from './roles';
import type { Principal, SessionInfo } from './types';

type SignedIn = SessionInfo & { principal: Principal };
const isSignedIn = (s: SessionInfo | null | undefined): s is SignedIn => !!s?.signedIn && !!s.principal;

function Page({ route, me }: { route: string; me: Principal }) {
  const [, section, id] = route.split('/');
  const allowed = PAGES.find((p) => p.path === `/${section}`);
  if (!allowed || !allowed.roles.includes(me.role)) {
    return html`<h1>Not found</h1>
      <p>No page here for a ${me.role}. <a href=${`#${homeOf(me.role)}`}>Home</a></p>`;
  }
  switch (section) {
    case 'requests':
      return id ? html`<${RequestDetail} id=${id} me=${me} />` : html`<${Requests} me=${me} />`;
    case 'approvals':
      return html`<${Requests} me=${me} approvals=${true} />`;
    case 'new':
      return html`<${NewRequest} me=${me} />`;
    case 'accounts':
      return id ? html`<${AccountDetail} id=${id} />` : html`<${Accounts} me=${me} />`;
    case 'rollouts':
      return html`<${Rollouts} me=${me} />`;
    case 'drift':
      return html`<${Drift} me=${me} />`;
    default:
      return html`<${Finance} />`;
  }
}

export function App() {
  const [session, setSession] = useState<SignedIn | null | undefined>(undefined);
  const route = useRoute();
  const signedIn = (s: SessionInfo | null) => {
    const current = isSignedIn(s) ? s : null;
    setCsrf(current?.csrf);
    setSession(current);
  };
  useEffect(() => {
    whenSignedOut(() => signedIn(null));
    api<SessionInfo>('GET', '/console/session').then(signedIn, () => signedIn(null));
  }, []);
  useEffect(() => {
    const heading = document.querySelector('main h1');
    if (heading instanceof HTMLElement) {
      heading.tabIndex = -1;
      heading.focus();
    }
  }, [route, session]);

  if (session === undefined) return html`<p role="status">Loading…</p>`;
  if (session === null) {
    return html`<${SignIn}
      onSignedIn=${(s: SessionInfo) => {
        signedIn(s);
        if (s.principal) location.hash = `#${homeOf(s.principal.role)}`;
      }}
    />`;
  }
  const me = session.principal;
  const current = route === '/' ? homeOf(me.role) : route;
  const signOut = async () => {
    await api('DELETE', '/console/session').catch(() => undefined);
    signedIn(null);
  };
  return html`<a
      class="skip"
      href="#main"
      onClick=${(e: Event) => {
        e.preventDefault();
        document.getElementById('main')?.focus();
      }}
      >Skip to content</a
    >
    <header>
      <span class="brand">avf console</span>
      <nav aria-label="Console">
        <ul>
          ${PAGES.filter((p) => p.roles.includes(me.role)).map(
            (p) =>
              html`<li>
                <a href=${`#${p.path}`} aria-current=${current.startsWith(p.path) ? 'page' : undefined}
                  >${p.label}</a
                >
              </li>`,
          )}
        </ul>
      </nav>
      <span class="who">${me.name} · ${me.role}${me.team ? ` · team ${me.team}` : ''}</span>
      <button type="button" class="secondary" onClick=${signOut}>Sign out</button>
    </header>
    <main id="main" tabindex="-1"><${Page} route=${current} me=${me} /></main>`;
}

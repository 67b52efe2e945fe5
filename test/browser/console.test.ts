import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { createToken } from '../../api/auth';
import { PROFILES } from '../../src/local/aws-behaviour';
import { SPEND_PATH } from '../../src/local/aws-behaviour/billing';
import { COST_COLLECTION_KIND, collectNow } from '../../src/workflow/costs/collection-kind';
import { listCosts } from '../../src/workflow/costs/read-costs';
import { Worker } from '../../src/workflow/worker';
import { SAMPLE_REQUEST } from '../../src/local/sample-request';
import { launchChromium, seriousViolations, watchErrors } from '../support/browser';
import { serveLocalApi, type LocalApi } from '../support/local-api';
import { startLocalFactory, type LocalFactory } from '../support/local-factory';

/**
 * The console in the system Chromium, against the real API on the local stack (moto behind the
 * AWS behaviour layer, a worker ticking). AVF_SCREENSHOTS=1 also writes the screenshots the README
 * shows into docs/screenshots/.
 */
const SCREENSHOTS =
  process.env.AVF_SCREENSHOTS === '1' ? resolve(__dirname, '../../docs/screenshots') : undefined;

// Moto, the bootstrap and a browser on a shared 2-core machine: minutes, not seconds, at worst.
jest.setTimeout(240_000);
/** How long a sign-in may take to show the signed-in page (Playwright's default is 30 s). */
const SIGN_IN_MS = 90_000;

describe('the web console in Chromium', () => {
  let local: LocalFactory;
  let server: LocalApi;
  let browser: Browser;
  const tokens = { requester: '', platform: '', finance: '', auditor: '' };
  const open: BrowserContext[] = [];

  beforeAll(async () => {
    local = await startLocalFactory({ seed: 15, workerId: 'console-worker', behaviour: PROFILES.instant });
    server = await serveLocalApi(local);
    const store = local.runtime.store;
    tokens.requester = await createToken(store, {
      role: 'requester',
      team: 'payments',
      name: 'payments-dev',
    });
    tokens.platform = await createToken(store, { role: 'platform', name: 'platform-engineer' });
    tokens.finance = await createToken(store, { role: 'finance', name: 'finance-analyst' });
    tokens.auditor = await createToken(store, { role: 'auditor', name: 'auditor' });
    browser = await launchChromium();
    if (SCREENSHOTS) mkdirSync(SCREENSHOTS, { recursive: true });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await local?.stop();
  });

  afterEach(async () => {
    for (const context of open.splice(0)) await context.close();
  });

  /** A fresh browser (no cookies) signed in with `token`, its errors watched. */
  async function signedIn(token: string): Promise<{ page: Page; errors: string[]; context: BrowserContext }> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
    open.push(context);
    const page = await context.newPage();
    const errors = watchErrors(page);
    await page.goto(server.url);
    await page.getByLabel('API token').fill(token);
    await page.keyboard.press('Enter');
    // as long as the suite allows a step on a loaded machine; if it never comes, say what the page shows
    await page
      .getByRole('button', { name: 'Sign out' })
      .waitFor({ timeout: SIGN_IN_MS })
      .catch(async (e: unknown) => {
        const shown = await page
          .locator('body')
          .innerText()
          .catch(() => '(page unreadable)');
        throw new Error(
          `not signed in after ${SIGN_IN_MS} ms; the page shows: ${JSON.stringify(shown.slice(0, 500))}; ` +
            `browser errors: ${JSON.stringify(errors)}; ${e instanceof Error ? e.message : String(e)}`,
        );
      });
    return { page, errors, context };
  }

  async function shoot(page: Page, name: string): Promise<void> {
    if (SCREENSHOTS) await page.screenshot({ path: resolve(SCREENSHOTS, `${name}.png`), fullPage: true });
  }

  async function expectAccessible(page: Page): Promise<void> {
    expect(await seriousViolations(page)).toEqual([]);
  }

  const navLinks = (page: Page) =>
    page.getByRole('navigation', { name: 'Console' }).getByRole('link').allTextContents();

  async function waitForStatus(id: string, statuses: string[]): Promise<string> {
    for (let i = 0; i < 600; i++) {
      const record = await local.runtime.store.get(id);
      if (record && statuses.includes(record.status)) return record.status;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`request ${id} never reached ${statuses.join(' or ')}`);
  }

  it('signs in as each role, showing only the pages that role may use, accessibly and without errors', async () => {
    const context = await browser.newContext();
    open.push(context);
    const first = await context.newPage();
    const firstErrors = watchErrors(first);
    await first.goto(server.url);
    await first.getByRole('heading', { name: 'Sign in to the avf console' }).waitFor();
    await expectAccessible(first);
    await shoot(first, 'sign-in');
    expect(firstErrors).toEqual([]);

    const expected: Record<keyof typeof tokens, string[]> = {
      requester: ['Requests', 'New request', 'Accounts'],
      platform: ['Requests', 'New request', 'Approvals', 'Accounts', 'Rollouts', 'Drift', 'Finance'],
      finance: ['Requests', 'Accounts', 'Finance'],
      auditor: ['Requests', 'Accounts', 'Rollouts', 'Drift', 'Finance'],
    };
    for (const role of Object.keys(expected) as (keyof typeof tokens)[]) {
      const { page, errors } = await signedIn(tokens[role]);
      expect(await navLinks(page)).toEqual(expected[role]);
      await expect(page.locator('header .who').textContent()).resolves.toContain(role);
      await expectAccessible(page);
      expect(errors).toEqual([]);
    }
  });

  it('shows every problem next to its field before anything is submitted', async () => {
    const { page, errors } = await signedIn(tokens.requester);
    await page.getByRole('link', { name: 'New request' }).click();
    await page.getByLabel('Account name').fill('Bad Name!');
    await page.getByLabel('Root email').fill('someone@gmail.com');
    await page.getByLabel('Owner email').fill('lead@example.com');
    await page.getByLabel('Cost centre').fill('CC-1');
    await page.getByRole('button', { name: 'Check' }).click();
    const emailError = page.locator('#nr-email-error');
    await emailError.waitFor();
    expect(await page.getByLabel('Root email').getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByLabel('Root email').getAttribute('aria-describedby')).toContain('nr-email-error');
    expect(await page.getByLabel('Account name').getAttribute('aria-invalid')).toBe('true');
    // Submit checks first, and submits nothing while there are problems.
    await page.getByRole('button', { name: 'Submit request' }).click();
    await emailError.waitFor();
    expect((await local.runtime.store.list({ limit: 10 })).items).toHaveLength(0);
    await expectAccessible(page);
    await shoot(page, 'new-request-problems');
    expect(errors).toEqual([]);
  });

  it('submits a request and follows it step by step to READY', async () => {
    const { page, errors } = await signedIn(tokens.requester);
    await page.getByRole('link', { name: 'New request' }).click();
    await page.getByLabel('Account name').fill('payments-console');
    await page.getByLabel('Root email').fill('aws+payments-console@example.com');
    await page.getByLabel('Owner email').fill('payments-lead@example.com');
    await page.getByLabel('Cost centre').fill('CC-4711');
    await page.getByLabel('Monthly budget (USD)').fill('250');
    await page.getByRole('button', { name: 'Submit request' }).click();
    await page.waitForURL(/#\/requests\/req-/);
    const status = page.getByTestId('request-status');
    await status.getByText('READY').waitFor({ timeout: 90_000 });
    expect(await page.locator('.steps .step').count()).toBeGreaterThan(3);
    expect(await page.locator('.steps .status-succeeded').count()).toBe(
      await page.locator('.steps .step').count(),
    );
    await expectAccessible(page);
    await shoot(page, 'request-ready');

    await page.getByRole('link', { name: /^\d{12}$/ }).click();
    await page.getByRole('heading', { name: 'Controls' }).waitFor();
    await page.locator('table').getByText('PASS').first().waitFor();
    await expectAccessible(page);
    await shoot(page, 'account-detail');

    await page.getByRole('link', { name: 'Requests', exact: true }).click();
    await page.getByRole('cell', { name: 'payments-console' }).waitFor();
    await expectAccessible(page);
    await shoot(page, 'requests');
    expect(errors).toEqual([]);
  });

  /** The requester POSTs a Prod request (through the API); it waits for approval. */
  async function pendingProdRequest(accountName: string): Promise<string> {
    const res = await fetch(`${server.url}/v1/account-requests`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tokens.requester}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        ...SAMPLE_REQUEST,
        accountName,
        email: `aws+${accountName}@example.com`,
        organizationalUnit: 'Workloads/Prod',
      }),
    });
    const id = ((await res.json()) as { id: string; status: string }).id;
    expect(await waitForStatus(id, ['PENDING_APPROVAL'])).toBe('PENDING_APPROVAL');
    return id;
  }

  it('lets platform approve a Prod request from the approvals queue', async () => {
    const id = await pendingProdRequest('payments-prod');

    const { page, errors } = await signedIn(tokens.platform);
    await page.getByRole('link', { name: 'Approvals' }).click();
    const approve = page.getByRole('button', { name: `Approve ${id} (payments-prod)` });
    await approve.waitFor();
    await expectAccessible(page);
    await shoot(page, 'approvals');
    await approve.focus();
    await page.keyboard.press('Enter');
    await page.getByRole('status').getByText(`Approved ${id}`).waitFor();
    expect(await waitForStatus(id, ['QUEUED', 'IN_PROGRESS', 'READY'])).not.toBe('PENDING_APPROVAL');
    expect(errors).toEqual([]);
  });

  it('lets platform reject a request with a reason, which the requester then reads', async () => {
    const id = await pendingProdRequest('payments-prod-rejected');
    const { page, errors } = await signedIn(tokens.platform);
    await page.getByRole('link', { name: 'Approvals' }).click();
    await page.getByRole('link', { name: `Reject ${id} (payments-prod-rejected) with a reason` }).click();
    const reject = page.getByRole('button', { name: 'Reject' });
    await reject.waitFor();
    expect(await reject.isDisabled()).toBe(true); // no reason yet
    await expectAccessible(page);
    await page.getByLabel('Reason').fill('Prod accounts need a change ticket: open one and ask again');
    await reject.click();
    await page.getByRole('status').getByText('Rejected: the requester sees your reason.').waitFor();
    const record = await local.runtime.store.get(id);
    expect([record?.status, record?.error?.code]).toEqual(['FAILED', 'REJECTED']);

    const requester = await signedIn(tokens.requester);
    await requester.page.goto(`${server.url}/#/requests/${id}`);
    const alert = requester.page.getByRole('alert');
    await alert.getByText('REJECTED').waitFor();
    expect(await alert.textContent()).toContain('Prod accounts need a change ticket');
    expect(errors).toEqual([]);
    expect(requester.errors).toEqual([]);
  });

  it('lets the requesting team cancel its request before the account is created', async () => {
    const id = await pendingProdRequest('payments-prod-cancelled');
    const { page, errors } = await signedIn(tokens.requester);
    await page.goto(`${server.url}/#/requests/${id}`);
    await page.getByTestId('request-status').getByText('PENDING APPROVAL').waitFor();
    // Approving and rejecting are platform's: the requester has only the cancel.
    expect(await page.getByRole('button', { name: /^(Approve|Reject)$/ }).count()).toBe(0);
    await page.getByLabel('Reason (optional)').fill('asked in the wrong OU');
    await page.getByRole('button', { name: 'Cancel request' }).click();
    await page.getByRole('status').getByText('Cancelled: no account will be created.').waitFor();
    await page.getByTestId('request-status').getByText('FAILED').waitFor();
    await page.getByRole('alert').getByText('CANCELLED').waitFor();
    expect(await page.getByRole('button', { name: 'Cancel request' }).count()).toBe(0);
    const record = await local.runtime.store.get(id);
    expect([record?.status, record?.error?.code]).toEqual(['FAILED', 'CANCELLED']);
    await expectAccessible(page);
    expect(errors).toEqual([]);
  });

  it('reads the finance table by team and cost centre, with no spend data yet', async () => {
    const { page, errors } = await signedIn(tokens.finance);
    await page.getByRole('heading', { name: 'Finance' }).waitFor();
    const budgets = page.getByRole('table', { name: 'Budgets by team and cost centre' });
    const row = budgets.getByRole('row', { name: /payments CC-4711/ });
    await row.waitFor();
    expect(await row.getByRole('cell').allTextContents()).toEqual([
      'payments',
      'CC-4711',
      '1',
      '$250',
      '80%, 100%',
      'no data',
      'no data',
    ]);
    await page.getByText('No spend data yet').waitFor();
    const csv = page.getByRole('link', { name: 'Export CSV' });
    expect(await csv.getAttribute('download')).toBe('avf-budgets.csv');
    expect(decodeURIComponent((await csv.getAttribute('href')) ?? '')).toContain(
      'payments,CC-4711,1,250,"80%, 100%"',
    );
    await expectAccessible(page);
    await shoot(page, 'finance');
    expect(errors).toEqual([]);
  });

  it('reads spend per account after a collection: freshness, alerts, the freeze, the month chart, the showback CSV', async () => {
    const deps = local.runtime.deps;
    const platform = { role: 'platform' as const, name: 'platform-engineer' };
    const before = (await listCosts(deps, platform, {})).items.find(
      (c) => c.accountName === 'payments-console',
    );
    const accountId = before?.accountId ?? '';
    expect(accountId).toMatch(/^\d{12}$/);
    // 320 USD today on a 250 USD budget: past 80 % and 100 %, and past payments' 120 % freeze rule.
    const seeded = await fetch(`${local.proxy?.endpoint ?? ''}${SPEND_PATH}`, {
      method: 'POST',
      body: JSON.stringify({ accountId, usd: 320 }),
    });
    expect(seeded.status).toBe(200);
    await collectNow(deps);
    const collector = new Worker(deps, { id: 'console-collector', kinds: [COST_COLLECTION_KIND] });
    for (let i = 0; i < 600; i++) {
      await collector.tick();
      const mine = (await listCosts(deps, platform, {})).items.find((c) => c.accountId === accountId);
      if (mine?.actual.at && mine.freeze.state === 'PENDING_APPROVAL' && mine.alerts.length >= 2) break;
      await new Promise((r) => setTimeout(r, 100));
    }

    const { page, errors } = await signedIn(tokens.finance);
    await page.getByRole('heading', { name: 'Finance' }).waitFor();
    const table = page.getByRole('table', { name: 'Spend per account this month' });
    const row = table.getByRole('row', { name: /payments-console/ });
    await row.waitFor();
    const cells = await row.getByRole('cell').allTextContents();
    expect(cells.slice(0, 4)).toEqual([
      'payments',
      'CC-4711',
      '$250',
      expect.stringMatching(/^\$320as of \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC$/),
    ]);
    expect(cells[5]).toBe('128%');
    expect(cells[6]).toMatch(/^80% actual, .* UTC100% actual, .* UTC$/);
    expect(cells[7]).toBe('PENDING APPROVAL');
    expect(
      await page
        .getByRole('table', { name: 'Budgets by team and cost centre' })
        .getByRole('row', { name: /payments CC-4711/ })
        .getByRole('cell')
        .nth(5)
        .textContent(),
    ).toBe('$320');
    expect(await page.getByText('No spend data yet').count()).toBe(0);

    const chart = page.getByRole('img', { name: /Spend in \d{4}-\d\d against the limit/ });
    await chart.waitFor();
    expect(await chart.locator('desc').textContent()).toMatch(/Spent \$320 by day \d+/);
    expect(await chart.locator('polyline.chart-actual').count()).toBe(1);

    const report = page.getByRole('link', { name: 'Showback report (CSV)' });
    const href = (await report.getAttribute('href')) ?? '';
    expect(href).toMatch(/^\/v1\/costs\/report\?month=\d{4}-\d\d&format=csv$/);
    const csv = await page.request.get(`${server.url}${href}`);
    expect(csv.headers()['content-type']).toContain('text/csv');
    expect(await csv.text()).toMatch(/CC-4711,payments,1,250(\.0+)?,320/);

    await expectAccessible(page);
    await shoot(page, 'finance-spend');
    expect(errors).toEqual([]);
  });

  it('signs out: the session cookie is HttpOnly, unreadable by scripts, and dead afterwards', async () => {
    const { page, errors, context } = await signedIn(tokens.auditor);
    const [cookie] = await context.cookies();
    expect(cookie).toEqual(
      expect.objectContaining({ name: 'avf_session', httpOnly: true, sameSite: 'Strict' }),
    );
    expect(await page.evaluate('document.cookie')).toBe('');
    expect(await page.evaluate('JSON.stringify(localStorage) + JSON.stringify(sessionStorage)')).toBe('{}{}');
    expect(page.url()).not.toContain(tokens.auditor);
    await page.getByRole('link', { name: 'Rollouts' }).click();
    await page.getByRole('heading', { name: 'Rollouts', level: 1 }).waitFor();
    await expectAccessible(page);
    await page.getByRole('link', { name: 'Drift' }).click();
    await page.getByRole('heading', { name: 'Current sweep' }).waitFor();
    await expectAccessible(page);

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in to the avf console' }).waitFor();
    const after = await context.request.get(`${server.url}/v1/account-requests`, {
      headers: { cookie: `avf_session=${cookie?.value ?? ''}` },
    });
    expect(after.status()).toBe(401);
    expect(errors).toEqual([]);
  });
});

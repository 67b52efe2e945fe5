import type { Behaviour, BehaviourContext } from '../upstream';
import { budgetActionBehaviour } from './budget-actions';
import { costExplorerBehaviour } from './cost-explorer';
import { BillingLedger } from './ledger';

export { BillingLedger } from './ledger';

/** Where tests and the demo seed spend: `POST {endpoint}/avf-behaviour/billing/spend`. */
export const SPEND_PATH = '/avf-behaviour/billing/spend';

export interface SpendEntry {
  accountId: string;
  /** YYYY-MM-DD, default today (UTC). */
  date?: string;
  usd: number;
}

/** Cost Explorer and Budgets actions over one ledger. */
export function billingBehaviour(ctx: BehaviourContext): Behaviour & { ledger: BillingLedger } {
  const ledger = new BillingLedger(() => ctx.now());
  return {
    ledger,
    handlers: {
      ...costExplorerBehaviour(ctx, ledger).handlers,
      ...budgetActionBehaviour(ctx, ledger).handlers,
    },
  };
}

/** Adds the entries of a `POST …/billing/spend` body (one entry or a list) to the ledger. */
export function seedSpend(ledger: BillingLedger, body: unknown): number {
  const entries = (Array.isArray(body) ? body : [body]) as SpendEntry[];
  for (const e of entries) {
    if (!/^\d{12}$/.test(String(e.accountId)) || typeof e.usd !== 'number')
      throw new Error('each entry needs accountId (12 digits) and usd (a number)');
    ledger.add(e.accountId, e.date ?? ledger.today(), e.usd);
  }
  return entries.length;
}

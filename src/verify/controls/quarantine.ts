import type { Control } from '../verifier';
import { accountScps } from './once-per-verification';

/**
 * a new account stays quarantined (deny all but the factory) until it has verified clean; the
 * quarantine is lifted only after verification, so an account outside a vend must not carry it.
 */
export const quarantineControl: Control = {
  id: 'A-2',
  title: 'quarantined while being vended, released once verified',
  seeds: ['002'],
  enforcedBy: 'SCP (attached at creation, detached after verify)',
  settledBy: 'place-account',
  async evaluate(ctx) {
    const name = ctx.config.config.organization.quarantinePolicy;
    if (!name) return [{ status: 'FAIL', evidence: 'no organization.quarantinePolicy is configured' }];
    const attached = (await accountScps(ctx)).some((p) => p.name === name);
    const expected = ctx.target.vending ?? false;
    const state = attached ? 'attached' : 'not attached';
    return [
      attached === expected
        ? { status: 'PASS', evidence: `${name} ${state} ${expected ? 'during the vend' : 'after the vend'}` }
        : {
            status: 'FAIL',
            evidence: `${name} ${state}, expected ${expected ? 'attached during the vend' : 'detached after the vend'}`,
          },
    ];
  },
};

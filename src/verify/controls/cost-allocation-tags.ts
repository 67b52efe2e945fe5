import { ORGANISATION_LEVEL, type Control } from '../verifier';

/**
 * G-12: the factory's account tags (cost centre, team, owner) are active cost allocation tags, so
 * Cost Explorer, the bill and showback can group spend by them. Organisation-wide (set by
 * bootstrap), reported for each account because its showback relies on it.
 */
export const costAllocationTagsControl: Control = {
  id: 'G-12',
  title: "the factory's tags are active cost allocation tags",
  seeds: ['002'],
  enforcedBy: 'org',
  settledBy: ORGANISATION_LEVEL,
  emulatorGap: 'moto has no cost allocation tags (the AWS behaviour layer emulates them)',
  async evaluate(ctx) {
    const ce = ctx.aws.costExplorer;
    if (!ce) throw new Error('no Cost Explorer client to read the cost allocation tags');
    const keys = ctx.config.config.finance.costAllocationTags;
    const status = await ce.costAllocationTags(keys);
    const inactive = keys.filter((k) => status[k] === 'Inactive');
    // AWS lists a key only once a bill has carried it (up to a day after the first account was
    // tagged) and refuses to activate it before: nothing anyone can do yet, so it does not count
    // against the account; bootstrap activates it on its next run.
    const unlisted = keys.filter((k) => status[k] !== 'Active' && status[k] !== 'Inactive');
    const pending =
      unlisted.length > 0
        ? `; not in the billing data yet, activated by the next avf bootstrap once AWS lists them: ${unlisted.join(', ')}`
        : '';
    if (inactive.length === 0) {
      const active = keys.filter((k) => status[k] === 'Active');
      return [
        {
          status: 'PASS',
          evidence: `${active.length > 0 ? active.join(', ') : 'none'}: Active (ce:ListCostAllocationTags)${pending}`,
        },
      ];
    }
    return [
      {
        status: 'FAIL',
        evidence: `${inactive.map((k) => `${k} Inactive`).join('; ')} (run avf bootstrap)${pending}`,
      },
    ];
  },
};

import type { Control } from '../verifier';

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
  emulatorGap: 'moto has no cost allocation tags (the AWS behaviour layer emulates them)',
  async evaluate(ctx) {
    const ce = ctx.aws.costExplorer;
    if (!ce) throw new Error('no Cost Explorer client to read the cost allocation tags');
    const keys = ctx.config.config.finance.costAllocationTags;
    const status = await ce.costAllocationTags(keys);
    const off = keys.filter((k) => status[k] !== 'Active');
    if (off.length === 0)
      return [{ status: 'PASS', evidence: `${keys.join(', ')}: Active (ce:ListCostAllocationTags)` }];
    const why = (k: string): string =>
      status[k] === 'Inactive'
        ? `${k} Inactive (run avf bootstrap)`
        : `${k} not in the billing data yet (AWS lists a key up to 24 h after an account first carries it; then run avf bootstrap)`;
    return [{ status: 'FAIL', evidence: off.map(why).join('; ') }];
  },
};

import { z } from 'zod';
import type { WaveAccount } from './rollout-document';

export const WavesSchema = z
  .object({
    /** Accounts in the first (canary) wave; 0 for none. */
    canary: z.number().int().min(0).max(1000).default(1),
    /** Cumulative percentages of the accounts reached after each later wave; the last is 100. */
    percentages: z
      .array(z.number().int().min(1).max(100))
      .min(1)
      .max(20)
      .default([25, 50, 100])
      .refine((p) => p.every((v, i) => i === 0 || v > (p[i - 1] ?? 0)), 'percentages must increase')
      .refine((p) => p[p.length - 1] === 100, 'the last percentage is 100 (every account)'),
  })
  .strict();
export type WavesOption = z.infer<typeof WavesSchema>;

export interface PlannedWave {
  label: string;
  accounts: WaveAccount[];
}

/**
 * Splits the accounts into waves: the canary accounts first, then each percentage brings the
 * cumulative total to that share of all accounts. Empty waves are dropped.
 */
export function planWaves(accounts: WaveAccount[], waves: WavesOption): PlannedWave[] {
  const total = accounts.length;
  const planned: PlannedWave[] = [];
  let next = Math.min(waves.canary, total);
  if (next > 0) planned.push({ label: 'canary', accounts: accounts.slice(0, next) });
  for (const percent of waves.percentages) {
    const upTo = Math.max(next, Math.ceil((total * percent) / 100));
    if (upTo > next) planned.push({ label: `${percent}%`, accounts: accounts.slice(next, upTo) });
    next = upTo;
  }
  return planned;
}
